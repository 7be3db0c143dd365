#include <charconv>
#include <climits>

#include "runtime/storage/sql_stores.hpp"

namespace qs::runtime::storage {

namespace {

const char* const entry_columns = "id, asset_id, request_id, operation, scan_timestamp, "
                                  "stored_at, scan_result, prediction, anomaly";

entry read_entry(sql::rows& rows, std::size_t r) {
  entry e;
  e.id = rows.integer(r, 0);
  e.asset_id = rows.take(r, 1);
  e.request_id = rows.take(r, 2);
  e.operation = rows.take(r, 3);
  e.scan_timestamp = rows.take(r, 4);
  e.stored_at = rows.take(r, 5);
  e.scan_result = rows.take(r, 6);
  e.prediction = rows.take(r, 7);
  e.anomaly = rows.take(r, 8);
  return e;
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

    auto txn = sql::transaction::begin(db_->read(), sql::access::read); // one snapshot
    if (!txn)
      return txn.error();
    auto rows = (*txn)->query(std::string("SELECT ") + entry_columns +
                                  " FROM entries WHERE asset_id = ?1 AND id < ?2"
                                  " ORDER BY id DESC LIMIT ?3",
                              sql::params().text(asset_id).integer(before).integer(wanted + 1));
    if (!rows)
      return rows.error();
    auto total = (*txn)->query("SELECT COUNT(*) FROM entries WHERE asset_id = ?1",
                               sql::params().text(asset_id));
    if (!total)
      return total.error();
    if (auto done = txn->commit(); !done)
      return done.error();
    history_page page;
    page.total = total->integer(0, 0);
    // One entry more than wanted tells whether more remain.
    const std::size_t shown = std::min(rows->size(), static_cast<std::size_t>(wanted));
    for (std::size_t r = 0; r < shown; ++r)
      page.entries.push_back(read_entry(*rows, r));
    if (rows->size() > shown)
      page.next = std::to_string(page.entries.back().id);
    return page;
  }

  expected<std::optional<entry>> latest(const std::string& asset_id) override {
    auto& c = db_->read();
    std::lock_guard lock(c.mutex);
    auto rows = c.query(std::string("SELECT ") + entry_columns +
                            " FROM entries WHERE asset_id = ?1 AND scan_result <> ''"
                            " ORDER BY id DESC LIMIT 1",
                        sql::params().text(asset_id));
    if (!rows)
      return rows.error();
    if (rows->empty())
      return std::optional<entry>();
    return std::optional<entry>(read_entry(*rows, 0));
  }

  expected<std::vector<std::vector<std::string>>>
  judged_scans(const std::vector<std::string>& asset_ids, std::size_t max_scans) override {
    const auto most = static_cast<std::int64_t>(std::min<std::size_t>(max_scans, INT_MAX));
    auto txn = sql::transaction::begin(db_->read(), sql::access::read); // one snapshot
    if (!txn)
      return txn.error();
    std::vector<std::vector<std::string>> lists;
    lists.reserve(asset_ids.size());
    for (const auto& asset_id : asset_ids) {
      auto rows = (*txn)->query("SELECT scan_result FROM entries WHERE asset_id = ?1"
                                " AND scan_result <> '' AND anomaly IS NOT NULL AND anomaly <> ''"
                                " ORDER BY id DESC LIMIT ?2",
                                sql::params().text(asset_id).integer(most));
      if (!rows)
        return rows.error();
      auto& oldest_first = lists.emplace_back();
      oldest_first.reserve(rows->size());
      for (std::size_t r = rows->size(); r-- > 0;)
        oldest_first.push_back(rows->take(r, 0));
    }
    if (auto done = txn->commit(); !done)
      return done.error();
    return lists;
  }

private:
  std::shared_ptr<connections> db_;
};

} // namespace

std::shared_ptr<history_store> sql_history_store(std::shared_ptr<connections> db) {
  return std::make_shared<sql_history>(std::move(db));
}

} // namespace qs::runtime::storage
