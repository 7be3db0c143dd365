#include <charconv>
#include <climits>

#include "runtime/storage/compact/entry_record.hpp"
#include "runtime/storage/sql_stores.hpp"

namespace qs::runtime::storage {

namespace {

// An entry's row, with its head's record (NULL for a head) for the fields they share.
const char* const entry_select = "SELECT e.id, e.head, e.record, h.record FROM entries e"
                                 " LEFT JOIN entries h ON h.id = e.head";
// The asset's id, or NULL for an asset never stored (which matches no entry).
const char* const asset_of = "(SELECT id FROM assets WHERE name = ?1)";

/// The entries of `rows` (columns as entry_select), of asset `asset_id`.
expected<std::vector<entry>> read_entries(sql::rows& rows, std::size_t count,
                                          const std::string& asset_id) {
  std::vector<entry> out(count);
  for (std::size_t r = 0; r < count; ++r) {
    entry& e = out[r];
    e.id = rows.integer(r, 0);
    e.asset_id = asset_id;
    std::optional<entry> head;
    if (!rows.is_null(r, 1)) {
      head.emplace();
      head->id = rows.integer(r, 1);
      if (auto done = compact::decode_entry(rows.text(r, 3), nullptr, *head); !done)
        return done.error();
    }
    if (auto done = compact::decode_entry(rows.text(r, 2), head ? &*head : nullptr, e); !done)
      return done.error();
  }
  return out;
}

/// A cursor is the decimal id of the last entry of the previous page.
std::optional<std::int64_t> parse_cursor(const std::string& text) {
  std::int64_t id = 0;
  const char* end = text.data() + text.size();
  const auto [stop, ec] = std::from_chars(text.data(), end, id);
  if (text.empty() || ec != std::errc() || stop != end || id <= 0)
    return std::nullopt;
  return id;
}

class sql_history final : public history_store {
public:
  explicit sql_history(std::shared_ptr<connections> db) : db_(std::move(db)) {}

  expected<history_page> history(const std::string& asset_id, std::size_t limit,
                                 const std::optional<std::string>& cursor) override {
    std::int64_t before = INT64_MAX;
    if (cursor) {
      const auto id = parse_cursor(*cursor);
      if (!id)
        return qs::error(errc::invalid_argument,
                         "invalid cursor \"" + *cursor + "\": use the \"next\" of an earlier page");
      before = *id;
    }
    if (limit == 0)
      return qs::error(errc::invalid_argument, "invalid limit 0: a page holds at least one entry");
    const auto wanted = static_cast<std::int64_t>(std::min<std::size_t>(limit, INT_MAX - 1));

    auto found = page_rows(asset_id, before, wanted + 1);
    if (!found)
      return found.error();
    auto& [rows, total] = *found;
    history_page page;
    page.total = total;
    // One entry more than wanted tells whether more remain.
    const std::size_t shown = std::min(rows.size(), static_cast<std::size_t>(wanted));
    auto entries = read_entries(rows, shown, asset_id);
    if (!entries)
      return entries.error();
    page.entries = std::move(*entries);
    if (rows.size() > shown)
      page.next = std::to_string(page.entries.back().id);
    return page;
  }

  expected<std::optional<entry>> latest(const std::string& asset_id) override {
    return one_entry(asset_id, "(e.flags & 1) <> 0 ORDER BY e.id DESC LIMIT 1", {});
  }

  expected<std::vector<std::vector<std::string>>>
  judged_scans(const std::vector<std::string>& asset_ids, std::size_t max_scans) override {
    const auto most = static_cast<std::int64_t>(std::min<std::size_t>(max_scans, INT_MAX));
    auto found = judged_rows(asset_ids, most);
    if (!found)
      return found.error();
    std::vector<std::vector<std::string>> lists;
    lists.reserve(asset_ids.size());
    for (std::size_t a = 0; a < asset_ids.size(); ++a) {
      auto entries = read_entries((*found)[a], (*found)[a].size(), asset_ids[a]);
      if (!entries)
        return entries.error();
      auto& oldest_first = lists.emplace_back();
      oldest_first.reserve(entries->size());
      for (auto e = entries->rbegin(); e != entries->rend(); ++e)
        oldest_first.push_back(std::move(e->scan_result));
    }
    return lists;
  }

  expected<std::optional<entry>> find_entry(const std::string& asset_id, std::int64_t id) override {
    return one_entry(asset_id, "e.id = ?2", id);
  }

private:
  /// The asset's first entry meeting `condition` (which may use ?2 for `value`).
  expected<std::optional<entry>> one_entry(const std::string& asset_id, const char* condition,
                                           std::optional<std::int64_t> value) {
    sql::params values;
    values.text(asset_id);
    if (value)
      values.integer(*value);
    auto& c = db_->read();
    std::unique_lock lock(c.mutex);
    auto rows = c.query(
        std::string(entry_select) + " WHERE e.asset = " + asset_of + " AND " + condition, values);
    lock.unlock();
    if (!rows)
      return rows.error();
    if (rows->empty())
      return std::optional<entry>();
    auto entries = read_entries(*rows, 1, asset_id);
    if (!entries)
      return entries.error();
    return std::optional<entry>(std::move(entries->front()));
  }

  // The rows are read in one snapshot; they are unpacked after it, when the
  // connection is free for the next reader.

  /// The asset's entries with an id below `before`, newest first, at most
  /// `most`; and how many it has.
  expected<std::pair<sql::rows, std::int64_t>> page_rows(const std::string& asset_id,
                                                         std::int64_t before, std::int64_t most) {
    auto txn = sql::transaction::begin(db_->read(), sql::access::read);
    if (!txn)
      return txn.error();
    auto rows = (*txn)->query(std::string(entry_select) + " WHERE e.asset = " + asset_of +
                                  " AND e.id < ?2 ORDER BY e.id DESC LIMIT ?3",
                              sql::params().text(asset_id).integer(before).integer(most));
    if (!rows)
      return rows.error();
    auto total =
        (*txn)->query(std::string("SELECT COUNT(*) FROM entries WHERE asset = ") + asset_of,
                      sql::params().text(asset_id));
    if (!total)
      return total.error();
    if (auto done = txn->commit(); !done)
      return done.error();
    return std::pair(std::move(*rows), total->integer(0, 0));
  }

  /// Each asset's judged entries, newest first, at most `most` of each.
  expected<std::vector<sql::rows>> judged_rows(const std::vector<std::string>& asset_ids,
                                               std::int64_t most) {
    auto txn = sql::transaction::begin(db_->read(), sql::access::read);
    if (!txn)
      return txn.error();
    std::vector<sql::rows> found;
    found.reserve(asset_ids.size());
    for (const auto& asset_id : asset_ids) {
      auto rows = (*txn)->query(std::string(entry_select) + " WHERE e.asset = " + asset_of +
                                    " AND (e.flags & 3) = 3 ORDER BY e.id DESC LIMIT ?2",
                                sql::params().text(asset_id).integer(most));
      if (!rows)
        return rows.error();
      found.push_back(std::move(*rows));
    }
    if (auto done = txn->commit(); !done)
      return done.error();
    return found;
  }

  std::shared_ptr<connections> db_;
};

} // namespace

std::shared_ptr<history_store> sql_history_store(std::shared_ptr<connections> db) {
  return std::make_shared<sql_history>(std::move(db));
}

} // namespace qs::runtime::storage
