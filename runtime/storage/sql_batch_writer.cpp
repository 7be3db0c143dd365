#include "runtime/storage/sql_stores.hpp"

namespace qs::runtime::storage {

namespace {

class sql_writer final : public batch_writer {
public:
  explicit sql_writer(std::shared_ptr<connections> db) : db_(std::move(db)) {}

  expected<void> write_many(const std::vector<const write_batch*>& batches) override {
    auto txn = sql::transaction::begin(*db_->writer, sql::access::write);
    if (!txn)
      return txn.error();
    const std::string now = sql::now_iso8601();
    for (const write_batch* batch : batches)
      if (auto done = insert(**txn, *batch, now); !done)
        return done;
    return txn->commit();
  }

private:
  /// Inserts one batch in the open transaction; skips it whole when its request
  /// id or its answer's key is stored already (the request was committed before).
  static expected<void> insert(sql::connection& c, const write_batch& batch,
                               const std::string& now) {
    if (!batch.request_id.empty()) {
      auto added = c.execute("INSERT INTO stored_requests (request_id, stored_at)"
                             " VALUES (?1, ?2) ON CONFLICT (request_id) DO NOTHING",
                             sql::params().text(batch.request_id).text(now));
      if (!added)
        return added.error();
      if (*added == 0)
        return {};
    }
    if (const auto& a = batch.answer) {
      auto added = c.execute(
          "INSERT INTO idempotent_answers (key, route, status, body, stored_at, fingerprint)"
          " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (key) DO NOTHING",
          sql::params().text(a->key).text(a->route).integer(a->status).text(a->body).text(now).text(
              a->fingerprint));
      if (!added)
        return added.error();
      if (*added == 0)
        return {};
    }
    for (const entry& e : batch.entries)
      if (auto added = c.execute("INSERT INTO entries (asset_id, request_id, operation,"
                                 " scan_timestamp, stored_at, scan_result, prediction, anomaly)"
                                 " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                                 sql::params()
                                     .text(e.asset_id)
                                     .text_or_null(e.request_id)
                                     .text_or_null(e.operation)
                                     .text_or_null(e.scan_timestamp)
                                     .text_or_null(e.stored_at.empty() ? now : e.stored_at)
                                     .text(e.scan_result)
                                     .text_or_null(e.prediction)
                                     .text_or_null(e.anomaly));
          !added)
        return added.error();
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
};

} // namespace

std::shared_ptr<batch_writer> sql_batch_writer(std::shared_ptr<connections> db) {
  return std::make_shared<sql_writer>(std::move(db));
}

} // namespace qs::runtime::storage
