#include <mutex>
#include <unordered_map>

#include "runtime/storage/compact/answer_record.hpp"
#include "runtime/storage/compact/entry_record.hpp"
#include "runtime/storage/sql_estate.hpp"

namespace qs::runtime::storage {

namespace {

/// Asset ids by name: those committed (an asset's id never changes once it is),
/// and those added by the transaction in progress, kept only if it commits.
class asset_ids {
public:
  expected<std::int64_t> find_or_add(sql::connection& c, const std::string& name) {
    {
      std::lock_guard lock(mutex_);
      if (auto it = committed_.find(name); it != committed_.end())
        return it->second;
    }
    if (auto it = pending_.find(name); it != pending_.end())
      return it->second;
    auto rows = c.query("SELECT id FROM assets WHERE name = ?1", sql::params().text(name));
    if (!rows)
      return rows.error();
    if (rows->empty()) {
      rows =
          c.query("INSERT INTO assets (name) VALUES (?1) RETURNING id", sql::params().text(name));
      if (!rows)
        return rows.error();
    }
    const auto id = rows->integer(0, 0);
    pending_.emplace(name, id);
    return id;
  }

  void committed(bool yes) {
    if (yes) {
      std::lock_guard lock(mutex_);
      if (committed_.size() + pending_.size() > most)
        committed_.clear();
      committed_.merge(pending_);
    }
    pending_.clear();
  }

private:
  static constexpr std::size_t most = 1 << 16;
  std::mutex mutex_;
  std::unordered_map<std::string, std::int64_t> committed_; // GUARDED_BY(mutex_)
  std::unordered_map<std::string, std::int64_t> pending_;   // under the writer's transaction
};

class sql_writer final : public batch_writer {
public:
  explicit sql_writer(std::shared_ptr<connections> db) : db_(std::move(db)) {}

  expected<void> write_many(const std::vector<const write_batch*>& batches) override {
    auto txn = sql::transaction::begin(*db_->writer, sql::access::write);
    if (!txn)
      return txn.error();
    const std::string now = sql::now_iso8601();
    for (const write_batch* batch : batches)
      if (auto done = insert(**txn, *batch, now); !done) {
        assets_.committed(false);
        return done;
      }
    auto done = txn->commit();
    assets_.committed(static_cast<bool>(done));
    return done;
  }

private:
  /// Inserts one batch in the open transaction; skips it whole when its request
  /// id or its answer's key is stored already (the request was committed before).
  expected<void> insert(sql::connection& c, const write_batch& batch, const std::string& now) {
    if (!batch.request_id.empty()) {
      auto added = c.execute("INSERT INTO stored_requests (request_id)"
                             " VALUES (?1) ON CONFLICT (request_id) DO NOTHING",
                             sql::params().text(batch.request_id));
      if (!added)
        return added.error();
      if (*added == 0)
        return {};
    }
    if (batch.answer) {
      auto found =
          c.query("SELECT 1 FROM answers WHERE key = ?1", sql::params().text(batch.answer->key));
      if (!found)
        return found.error();
      if (!found->empty())
        return {};
    }
    std::int64_t head = 0, last = 0;
    std::vector<entry> stored; // as stored (stored_at filled in), for the answer's template
    stored.reserve(batch.entries.size());
    for (const entry& sent : batch.entries) {
      entry& e = stored.emplace_back(sent);
      if (e.stored_at.empty())
        e.stored_at = now;
      auto asset = assets_.find_or_add(c, e.asset_id);
      if (!asset)
        return asset.error();
      const std::string record = compact::encode_entry(e, head ? &stored.front() : nullptr);
      sql::params values;
      values.integer(*asset);
      if (head)
        values.integer(head);
      else
        values.null();
      values.integer(compact::flags_of(e)).blob(record);
      auto added = c.query("INSERT INTO entries (asset, head, flags, record)"
                           " VALUES (?1, ?2, ?3, ?4) RETURNING id",
                           values);
      if (!added)
        return added.error();
      last = e.id = added->integer(0, 0);
      if (!head)
        head = last;
      if (auto recorded = record_asset_state(c, *asset, e); !recorded)
        return recorded.error();
    }
    if (const auto& a = batch.answer) {
      const std::string record = compact::encode_answer(*a, stored);
      sql::params values;
      values.text(a->key).integer(a->status);
      if (head)
        values.integer(head).integer(last);
      else
        values.null().null();
      values.blob(record);
      if (auto added = c.execute("INSERT INTO answers (key, status, head, last, record)"
                                 " VALUES (?1, ?2, ?3, ?4, ?5)",
                                 values);
          !added)
        return added.error();
    }
    for (const training_example& x : batch.examples) {
      sql::params values;
      values.text(x.asset_id).text(x.scan_result);
      if (x.exploited)
        values.integer(*x.exploited ? 1 : 0);
      else
        values.null();
      values.text_or_null(x.stored_at.empty() ? now : x.stored_at);
      if (auto added = c.execute("INSERT INTO training_examples (asset_id, scan_result, exploited,"
                                 " stored_at) VALUES (?1, ?2, ?3, ?4)",
                                 values);
          !added)
        return added.error();
    }
    return {};
  }

  std::shared_ptr<connections> db_;
  asset_ids assets_;
};

} // namespace

std::shared_ptr<batch_writer> sql_batch_writer(std::shared_ptr<connections> db) {
  return std::make_shared<sql_writer>(std::move(db));
}

} // namespace qs::runtime::storage
