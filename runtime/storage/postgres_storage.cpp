// The PostgreSQL back-end of `storage`: the tables and migrations of the
// SQLite back-end (migrations.cpp) and its behaviour, call for call, for a
// database that several processes share.
//
// Threads: two connections, as with SQLite. Writes hold the writer's mutex and
// run one transaction each; reads hold the reader's mutex and run one
// statement each (one snapshot), so they never wait for a write in progress.
// Across processes, every write transaction and the migration transaction
// first take the database's advisory write lock: writes are serialised as
// under SQLite's BEGIN IMMEDIATE, so entry ids increase in commit order (the
// history cursor relies on it) and concurrent opens migrate once.
//
// Idempotency: a batch whose request id, or whose answer's key, is already
// stored is a request that was already committed; the whole batch (entries,
// examples, answer) is skipped and the write still succeeds.
#include <algorithm>
#include <charconv>
#include <climits>

#include "runtime/storage/hex.hpp"
#include "runtime/storage/migrations.hpp"
#include "runtime/storage/postgres_connection.hpp"
#include "runtime/storage/sqlite_connection.hpp" // now_iso8601, shared with SQLite
#include "runtime/storage/storage.hpp"

namespace qs::runtime::storage {

namespace {

/// Held until the transaction ends; the key is this application's own constant.
const char* const write_lock = "SELECT pg_advisory_xact_lock(7173636116)";

const char* const entry_columns = "id, asset_id, request_id, operation, scan_timestamp, "
                                  "stored_at, scan_result, prediction, anomaly";

/// The entry in columns `first`.. of `row` (in `entry_columns` order).
entry read_entry(const PGresult* rows, int row, int first) {
  entry e;
  e.id = pg_integer(rows, row, first);
  e.asset_id = pg_text(rows, row, first + 1);
  e.request_id = pg_text(rows, row, first + 2);
  e.operation = pg_text(rows, row, first + 3);
  e.scan_timestamp = pg_text(rows, row, first + 4);
  e.stored_at = pg_text(rows, row, first + 5);
  e.scan_result = pg_text(rows, row, first + 6);
  e.prediction = pg_text(rows, row, first + 7);
  e.anomaly = pg_text(rows, row, first + 8);
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

/// Applies the missing migrations in one transaction, under the write lock so
/// that processes opening the database at once migrate it once; returns the version.
result<int> migrate(pg_connection& c) {
  const std::string database = "postgresql " + c.where();
  const auto fail = [&](const std::string& what) {
    return result<int>::failure("cannot migrate " + database + what + ": " + c.error());
  };
  pg_rollback_guard guard(c);
  if (!c.run_first("BEGIN") || !c.run(write_lock) || !c.run(schema_migrations_ddl()))
    return fail("");
  auto rows = c.run("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  if (!rows)
    return fail("");
  int current = static_cast<int>(pg_integer(rows.get(), 0, 0));
  if (current > latest_schema_version())
    return result<int>::failure("cannot open " + database + ": its schema version " +
                                std::to_string(current) + " is newer than this build's (" +
                                std::to_string(latest_schema_version()) + ")");
  for (const auto& m : migrations(sql_dialect::postgresql)) {
    if (m.version <= current)
      continue;
    const std::string what =
        " to version " + std::to_string(m.version) + " (" + m.description + ")";
    for (const auto& sql : m.statements)
      if (!c.run(sql))
        return fail(what);
    if (!c.run("INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)",
               pg_params().integer(m.version).text(now_iso8601())))
      return fail(what);
    current = m.version;
  }
  if (!c.run("COMMIT"))
    return fail("");
  return current;
}

class postgres_storage final : public storage {
public:
  postgres_storage(std::unique_ptr<pg_connection> writer, std::unique_ptr<pg_connection> reader,
                   int version)
      : writer_(std::move(writer)), reader_(std::move(reader)), version_(version) {}

  result<done> write(const write_batch& batch) override { return write_many({&batch}); }

  result<done> write_many(const std::vector<const write_batch*>& batches) override {
    std::lock_guard lock(writer_->mutex);
    auto& c = *writer_;
    const auto fail = [&c] { return result<done>::failure("write failed: " + c.error()); };
    pg_rollback_guard guard(c);
    if (!c.run_first("BEGIN") || !c.run(write_lock))
      return fail();
    const std::string now = now_iso8601();
    for (const write_batch* batch : batches)
      if (!insert_batch(*batch, now))
        return fail();
    if (!c.run("COMMIT"))
      return fail();
    return done{};
  }

  result<std::optional<idempotent_answer>> find_answer(const std::string& key) override {
    using out = result<std::optional<idempotent_answer>>;
    auto& c = *reader_;
    std::lock_guard lock(c.mutex);
    auto rows = c.run_first("SELECT key, route, status, body, fingerprint FROM idempotent_answers"
                            " WHERE key = $1",
                            pg_params().text(key));
    if (!rows)
      return out::failure("cannot read idempotent answer: " + c.error());
    if (PQntuples(rows.get()) == 0)
      return std::optional<idempotent_answer>();
    idempotent_answer answer;
    answer.key = pg_text(rows.get(), 0, 0);
    answer.route = pg_text(rows.get(), 0, 1);
    answer.status = static_cast<unsigned>(pg_integer(rows.get(), 0, 2));
    answer.body = pg_text(rows.get(), 0, 3);
    answer.fingerprint = pg_text(rows.get(), 0, 4);
    return std::optional<idempotent_answer>(std::move(answer));
  }

  result<history_page> history(const std::string& asset_id, std::size_t limit,
                               const std::optional<std::string>& cursor) override {
    using out = result<history_page>;
    std::int64_t before = INT64_MAX;
    if (cursor) {
      const auto id = parse_cursor(*cursor);
      if (!id)
        return out::failure("invalid cursor");
      before = *id;
    }
    if (limit == 0)
      return out::failure("invalid limit 0: a page holds at least one entry");
    const auto wanted = static_cast<std::int64_t>(std::min<std::size_t>(limit, INT_MAX - 1));

    auto& c = *reader_;
    std::lock_guard lock(c.mutex);
    // One statement, so one snapshot for the page and the total: the total's
    // row always comes back, joined to each entry of the page (or to NULLs).
    // One entry more than wanted tells whether more remain.
    auto rows = c.run_first(std::string("SELECT total.n, page.* FROM"
                                        " (SELECT COUNT(*) AS n FROM entries WHERE asset_id = $1)"
                                        " AS total LEFT JOIN LATERAL (SELECT ") +
                                entry_columns +
                                " FROM entries WHERE asset_id = $1 AND id < $2"
                                " ORDER BY id DESC LIMIT $3) AS page ON true"
                                " ORDER BY page.id DESC",
                            pg_params().text(asset_id).integer(before).integer(wanted + 1));
    if (!rows)
      return out::failure("cannot read history: " + c.error());
    history_page page;
    const int count = PQntuples(rows.get());
    if (count > 0)
      page.total = pg_integer(rows.get(), 0, 0);
    for (int row = 0; row < count; ++row)
      if (!PQgetisnull(rows.get(), row, 1))
        page.entries.push_back(read_entry(rows.get(), row, 1));
    if (static_cast<std::int64_t>(page.entries.size()) > wanted) {
      page.entries.pop_back();
      page.next = std::to_string(page.entries.back().id);
    }
    return page;
  }

  result<std::optional<entry>> latest(const std::string& asset_id) override {
    using out = result<std::optional<entry>>;
    auto& c = *reader_;
    std::lock_guard lock(c.mutex);
    auto rows = c.run_first(std::string("SELECT ") + entry_columns +
                                " FROM entries WHERE asset_id = $1 AND scan_result <> ''"
                                " ORDER BY id DESC LIMIT 1",
                            pg_params().text(asset_id));
    if (!rows)
      return out::failure("cannot read latest entry: " + c.error());
    if (PQntuples(rows.get()) == 0)
      return std::optional<entry>();
    return std::optional<entry>(read_entry(rows.get(), 0, 0));
  }

  result<training_counts> count_training() override {
    using out = result<training_counts>;
    auto& c = *reader_;
    std::lock_guard lock(c.mutex);
    auto rows = c.run_first("SELECT COUNT(*), COUNT(exploited),"
                            " COALESCE(SUM(CASE WHEN exploited = 1 THEN 1 ELSE 0 END), 0)"
                            " FROM training_examples");
    if (!rows)
      return out::failure("cannot count training examples: " + c.error());
    training_counts counts;
    counts.examples = pg_integer(rows.get(), 0, 0);
    counts.labelled = pg_integer(rows.get(), 0, 1);
    counts.positives = pg_integer(rows.get(), 0, 2);
    return counts;
  }

  result<std::vector<training_example>> labelled_examples(std::size_t limit) override {
    using out = result<std::vector<training_example>>;
    auto& c = *reader_;
    std::lock_guard lock(c.mutex);
    auto rows = c.run_first("SELECT asset_id, scan_result, exploited, stored_at"
                            " FROM training_examples WHERE exploited IS NOT NULL"
                            " ORDER BY id LIMIT $1",
                            pg_params().integer(static_cast<std::int64_t>(limit)));
    if (!rows)
      return out::failure("cannot read training examples: " + c.error());
    std::vector<training_example> list;
    for (int r = 0; r < PQntuples(rows.get()); ++r)
      list.push_back({pg_text(rows.get(), r, 0), pg_text(rows.get(), r, 1),
                      pg_integer(rows.get(), r, 2) != 0, pg_text(rows.get(), r, 3)});
    return list;
  }

  result<done> store_model(const stored_model& m) override {
    std::lock_guard lock(writer_->mutex);
    auto& c = *writer_;
    if (!c.run_first("INSERT INTO models (version, kind, created_at, metrics, blob)"
                     " VALUES ($1, $2, $3, $4, decode($5, 'hex')) ON CONFLICT (version) DO NOTHING",
                     pg_params()
                         .text(m.version)
                         .text(m.kind)
                         .text(m.created_at.empty() ? now_iso8601() : m.created_at)
                         .text(m.metrics)
                         .text(bytes_to_hex(m.model))))
      return result<done>::failure("cannot store model: " + c.error());
    return done{};
  }

  result<std::optional<stored_model>> latest_model(const std::string& kind) override {
    using out = result<std::optional<stored_model>>;
    auto& c = *reader_;
    std::lock_guard lock(c.mutex);
    auto rows = c.run_first("SELECT version, kind, created_at, metrics, encode(blob, 'hex')"
                            " FROM models WHERE kind = $1 ORDER BY created_at DESC LIMIT 1",
                            pg_params().text(kind));
    if (!rows)
      return out::failure("cannot read models: " + c.error());
    if (PQntuples(rows.get()) == 0)
      return std::optional<stored_model>();
    const auto* r = rows.get();
    return std::optional<stored_model>(stored_model{pg_text(r, 0, 0), pg_text(r, 0, 1),
                                                    pg_text(r, 0, 2), pg_text(r, 0, 3),
                                                    hex_to_bytes(pg_text(r, 0, 4))});
  }

  result<std::vector<stored_model>> list_models(const std::string& kind) override {
    using out = result<std::vector<stored_model>>;
    auto& c = *reader_;
    std::lock_guard lock(c.mutex);
    auto rows = c.run_first("SELECT version, kind, created_at, metrics FROM models"
                            " WHERE kind = $1 ORDER BY created_at DESC",
                            pg_params().text(kind));
    if (!rows)
      return out::failure("cannot list models: " + c.error());
    std::vector<stored_model> list;
    for (int r = 0; r < PQntuples(rows.get()); ++r)
      list.push_back({pg_text(rows.get(), r, 0),
                      pg_text(rows.get(), r, 1),
                      pg_text(rows.get(), r, 2),
                      pg_text(rows.get(), r, 3),
                      {}});
    return list;
  }

  result<done> create_scan_job(const scan_job& job) override {
    std::lock_guard lock(writer_->mutex);
    auto& c = *writer_;
    const auto now = job.created_at.empty() ? now_iso8601() : job.created_at;
    if (!c.run(
            "INSERT INTO scan_jobs (id, status, request, total, done, error, owner, created_at,"
            " updated_at) VALUES ($1, $2, $3, $4, 0, $5, $6, $7, $7) ON CONFLICT (id) DO NOTHING",
            pg_params()
                .text(job.id)
                .text(job.status)
                .text(job.request)
                .integer(job.total)
                .text(job.error)
                .text(job.owner)
                .text(now)))
      return result<done>::failure("cannot create scan job: " + c.error());
    return done{};
  }

  result<done> store_scan_results(const std::string& job_id,
                                  const std::vector<scan_result_row>& rows) override {
    std::lock_guard lock(writer_->mutex);
    auto& c = *writer_;
    const auto fail = [&c] {
      return result<done>::failure("cannot store scan results: " + c.error());
    };
    pg_rollback_guard guard(c);
    if (!c.run_first("BEGIN"))
      return fail();
    for (const auto& row : rows)
      if (!c.run(
              "INSERT INTO scan_results (job_id, position, target, result) VALUES ($1, $2, $3, $4)"
              " ON CONFLICT DO NOTHING",
              pg_params().text(job_id).integer(row.position).text(row.target).text(row.result)))
        return fail();
    if (!c.run("UPDATE scan_jobs SET done = (SELECT COUNT(DISTINCT position / 1048576) FROM"
               " scan_results WHERE job_id = $1), status = CASE WHEN status = 'queued' THEN"
               " 'running' ELSE status END, updated_at = $2 WHERE id = $1",
               pg_params().text(job_id).text(now_iso8601())) ||
        !c.run("COMMIT"))
      return fail();
    return done{};
  }

  result<done> finish_scan_job(const std::string& job_id, const std::string& status,
                               const std::string& error) override {
    std::lock_guard lock(writer_->mutex);
    auto& c = *writer_;
    if (!c.run("UPDATE scan_jobs SET status = $2, error = $3, updated_at = $4 WHERE id = $1",
               pg_params().text(job_id).text(status).text(error).text(now_iso8601())))
      return result<done>::failure("cannot finish scan job: " + c.error());
    return done{};
  }

  result<std::optional<scan_job>> find_scan_job(const std::string& id) override {
    using out = result<std::optional<scan_job>>;
    auto jobs = read_jobs("WHERE id = $1", pg_params().text(id));
    if (!jobs)
      return out::failure(jobs.error());
    if (jobs->empty())
      return std::optional<scan_job>();
    return std::optional<scan_job>(std::move(jobs->front()));
  }

  result<std::vector<scan_job>> unfinished_scan_jobs() override {
    return read_jobs("WHERE status IN ('queued', 'running') ORDER BY created_at", pg_params());
  }

  result<std::vector<scan_result_row>> scan_results(const std::string& job_id, std::int64_t after,
                                                    std::size_t limit) override {
    using out = result<std::vector<scan_result_row>>;
    auto& c = *reader_;
    std::lock_guard lock(c.mutex);
    auto rows = c.run_first("SELECT position, target, result FROM scan_results WHERE job_id = $1"
                            " AND position > $2 ORDER BY position LIMIT $3",
                            pg_params().text(job_id).integer(after).integer(
                                static_cast<std::int64_t>(std::min<std::size_t>(limit, INT_MAX))));
    if (!rows)
      return out::failure("cannot read scan results: " + c.error());
    std::vector<scan_result_row> out_rows;
    for (int row = 0; row < PQntuples(rows.get()); ++row)
      out_rows.push_back({pg_integer(rows.get(), row, 0), pg_text(rows.get(), row, 1),
                          pg_text(rows.get(), row, 2)});
    return out_rows;
  }

  int schema_version() const override { return version_; }

private:
  result<std::vector<scan_job>> read_jobs(const std::string& where, const pg_params& params) {
    using out = result<std::vector<scan_job>>;
    auto& c = *reader_;
    std::lock_guard lock(c.mutex);
    auto rows = c.run_first("SELECT id, status, request, total, done, error, owner, created_at,"
                            " updated_at FROM scan_jobs " +
                                where,
                            params);
    if (!rows)
      return out::failure("cannot read scan jobs: " + c.error());
    std::vector<scan_job> jobs;
    for (int row = 0; row < PQntuples(rows.get()); ++row) {
      scan_job j;
      j.id = pg_text(rows.get(), row, 0);
      j.status = pg_text(rows.get(), row, 1);
      j.request = pg_text(rows.get(), row, 2);
      j.total = pg_integer(rows.get(), row, 3);
      j.done = pg_integer(rows.get(), row, 4);
      j.error = pg_text(rows.get(), row, 5);
      j.owner = pg_text(rows.get(), row, 6);
      j.created_at = pg_text(rows.get(), row, 7);
      j.updated_at = pg_text(rows.get(), row, 8);
      jobs.push_back(std::move(j));
    }
    return jobs;
  }

  /// Inserts one batch inside the open transaction; false on failure (see
  /// `writer_->error()`). Skips the batch when its request id or its answer's key
  /// is stored already.
  bool insert_batch(const write_batch& batch, const std::string& now) {
    auto& c = *writer_;
    if (!batch.request_id.empty()) {
      auto done = c.run("INSERT INTO stored_requests (request_id, stored_at)"
                        " VALUES ($1, $2) ON CONFLICT (request_id) DO NOTHING",
                        pg_params().text(batch.request_id).text(now));
      if (!done)
        return false;
      if (pg_connection::changed_rows(done.get()) == 0)
        return true; // this request is already stored: store nothing twice
    }
    if (batch.answer) {
      const auto& a = *batch.answer;
      auto done =
          c.run("INSERT INTO idempotent_answers (key, route, status, body, stored_at, fingerprint)"
                " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (key) DO NOTHING",
                pg_params().text(a.key).text(a.route).integer(a.status).text(a.body).text(now).text(
                    a.fingerprint));
      if (!done)
        return false;
      if (pg_connection::changed_rows(done.get()) == 0)
        return true; // this request is already stored: store nothing twice
    }
    for (const entry& e : batch.entries) {
      pg_params values;
      values.text(e.asset_id)
          .text_or_null(e.request_id)
          .text_or_null(e.operation)
          .text_or_null(e.scan_timestamp)
          .text_or_null(e.stored_at.empty() ? now : e.stored_at)
          .text(e.scan_result)
          .text_or_null(e.prediction)
          .text_or_null(e.anomaly);
      if (!c.run("INSERT INTO entries (asset_id, request_id, operation, scan_timestamp,"
                 " stored_at, scan_result, prediction, anomaly)"
                 " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                 values))
        return false;
    }
    for (const training_example& x : batch.examples) {
      pg_params values;
      values.text(x.asset_id).text(x.scan_result);
      if (x.exploited)
        values.integer(*x.exploited ? 1 : 0);
      else
        values.null();
      values.text_or_null(x.stored_at.empty() ? now : x.stored_at);
      if (!c.run("INSERT INTO training_examples (asset_id, scan_result, exploited, stored_at)"
                 " VALUES ($1, $2, $3, $4)",
                 values))
        return false;
    }
    return true;
  }

  const std::unique_ptr<pg_connection> writer_; // its mutex serialises this process's writes
  const std::unique_ptr<pg_connection> reader_;
  const int version_;
};

} // namespace

result<std::unique_ptr<storage>> open_postgres(const std::string& conninfo) {
  using out = result<std::unique_ptr<storage>>;
  auto writer = pg_connection::open(conninfo, false);
  if (!writer)
    return out::failure(writer.error());
  auto version = migrate(**writer);
  if (!version)
    return out::failure(version.error());
  auto reader = pg_connection::open(conninfo, true);
  if (!reader)
    return out::failure(reader.error());
  return std::unique_ptr<storage>(
      std::make_unique<postgres_storage>(std::move(*writer), std::move(*reader), *version));
}

} // namespace qs::runtime::storage
