// The SQLite back-end of `storage`.
//
// Threads: two connections to one WAL database. Writes hold the writer's
// mutex and run one BEGIN IMMEDIATE transaction each; reads hold the reader's
// mutex and run in their own read transaction, so WAL lets them proceed while
// a write is in progress and each read sees one consistent snapshot. An
// in-memory database (":memory:") cannot be shared between connections, so
// there reads go through the writer connection.
//
// Idempotency: a batch carrying an answer whose key is already stored is a
// request that was already committed; the whole batch (entries, examples,
// answer) is skipped and the write still succeeds.
#include <charconv>
#include <climits>

#include "runtime/storage/hex.hpp"
#include "runtime/storage/migrations.hpp"
#include "runtime/storage/sqlite_connection.hpp"
#include "runtime/storage/sqlite_scan_jobs.hpp"
#include "runtime/storage/storage.hpp"

namespace qs::runtime::storage {

namespace {

const char* const entry_columns = "id, asset_id, request_id, operation, scan_timestamp, "
                                  "stored_at, scan_result, prediction, anomaly";

entry read_entry(sqlite3_stmt* stmt) {
  entry e;
  e.id = sqlite3_column_int64(stmt, 0);
  e.asset_id = column_text(stmt, 1);
  e.request_id = column_text(stmt, 2);
  e.operation = column_text(stmt, 3);
  e.scan_timestamp = column_text(stmt, 4);
  e.stored_at = column_text(stmt, 5);
  e.scan_result = column_text(stmt, 6);
  e.prediction = column_text(stmt, 7);
  e.anomaly = column_text(stmt, 8);
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

/// Applies the missing migrations in one transaction; returns the version.
result<int> migrate(sqlite_connection& c, const std::string& path) {
  const auto fail = [&](const std::string& what) {
    return result<int>::failure("cannot migrate " + path + what + ": " + c.error());
  };
  rollback_guard guard(c.db());
  if (!c.exec("BEGIN IMMEDIATE") || !c.exec(schema_migrations_ddl()))
    return fail("");
  int current = 0;
  {
    sqlite3_stmt* stmt = c.prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
    if (stmt == nullptr)
      return fail("");
    statement_use use(stmt);
    if (sqlite3_step(stmt) != SQLITE_ROW)
      return fail("");
    current = sqlite3_column_int(stmt, 0);
  }
  if (current > latest_schema_version())
    return result<int>::failure("cannot open " + path + ": its schema version " +
                                std::to_string(current) + " is newer than this build's (" +
                                std::to_string(latest_schema_version()) + ")");
  for (const auto& m : migrations(sql_dialect::sqlite)) {
    if (m.version <= current)
      continue;
    const std::string what =
        " to version " + std::to_string(m.version) + " (" + m.description + ")";
    for (const auto& sql : m.statements)
      if (!c.exec(sql))
        return fail(what);
    sqlite3_stmt* stmt =
        c.prepare("INSERT INTO schema_migrations (version, applied_at) VALUES (?1, ?2)");
    if (stmt == nullptr)
      return fail(what);
    statement_use use(stmt);
    sqlite3_bind_int(stmt, 1, m.version);
    bind_text(stmt, 2, now_iso8601());
    if (sqlite3_step(stmt) != SQLITE_DONE)
      return fail(what);
    current = m.version;
  }
  if (!c.exec("COMMIT"))
    return fail("");
  return current;
}

class sqlite_storage final : public storage {
public:
  sqlite_storage(std::unique_ptr<sqlite_connection> writer,
                 std::unique_ptr<sqlite_connection> reader, int version)
      : writer_(std::move(writer)), reader_(std::move(reader)), version_(version) {}

  result<done> write(const write_batch& batch) override { return write_many({&batch}); }

  result<done> write_many(const std::vector<const write_batch*>& batches) override {
    std::lock_guard lock(writer_->mutex);
    auto& c = *writer_;
    const auto fail = [&c] { return result<done>::failure("write failed: " + c.error()); };
    rollback_guard guard(c.db());
    if (!c.exec("BEGIN IMMEDIATE"))
      return fail();
    const std::string now = now_iso8601();
    for (const write_batch* batch : batches)
      if (!insert_batch(*batch, now))
        return fail();
    if (!c.exec("COMMIT"))
      return fail();
    return done{};
  }

  result<std::optional<idempotent_answer>> find_answer(const std::string& key) override {
    using out = result<std::optional<idempotent_answer>>;
    auto& c = reader();
    std::lock_guard lock(c.mutex);
    sqlite3_stmt* stmt =
        c.prepare("SELECT key, route, status, body, fingerprint FROM idempotent_answers"
                  " WHERE key = ?1");
    if (stmt == nullptr)
      return out::failure("cannot read idempotent answer: " + c.error());
    statement_use use(stmt);
    bind_text(stmt, 1, key);
    const int rc = sqlite3_step(stmt);
    if (rc == SQLITE_DONE)
      return std::optional<idempotent_answer>();
    if (rc != SQLITE_ROW)
      return out::failure("cannot read idempotent answer: " + c.error());
    idempotent_answer answer;
    answer.key = column_text(stmt, 0);
    answer.route = column_text(stmt, 1);
    answer.status = static_cast<unsigned>(sqlite3_column_int(stmt, 2));
    answer.body = column_text(stmt, 3);
    answer.fingerprint = column_text(stmt, 4);
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

    auto& c = reader();
    std::lock_guard lock(c.mutex);
    const auto fail = [&c] { return out::failure("cannot read history: " + c.error()); };
    rollback_guard guard(c.db());
    if (!c.exec("BEGIN")) // one snapshot for the page and the total
      return fail();
    history_page page;
    {
      sqlite3_stmt* stmt = c.prepare(std::string("SELECT ") + entry_columns +
                                     " FROM entries WHERE asset_id = ?1 AND id < ?2"
                                     " ORDER BY id DESC LIMIT ?3");
      if (stmt == nullptr)
        return fail();
      statement_use use(stmt);
      bind_text(stmt, 1, asset_id);
      sqlite3_bind_int64(stmt, 2, before);
      sqlite3_bind_int64(stmt, 3, wanted + 1); // one more tells whether more remain
      int rc = SQLITE_ROW;
      while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
        page.entries.push_back(read_entry(stmt));
      if (rc != SQLITE_DONE)
        return fail();
    }
    if (static_cast<std::int64_t>(page.entries.size()) > wanted) {
      page.entries.pop_back();
      page.next = std::to_string(page.entries.back().id);
    }
    {
      sqlite3_stmt* stmt = c.prepare("SELECT COUNT(*) FROM entries WHERE asset_id = ?1");
      if (stmt == nullptr)
        return fail();
      statement_use use(stmt);
      bind_text(stmt, 1, asset_id);
      if (sqlite3_step(stmt) != SQLITE_ROW)
        return fail();
      page.total = sqlite3_column_int64(stmt, 0);
    }
    if (!c.exec("COMMIT"))
      return fail();
    return page;
  }

  result<std::optional<entry>> latest(const std::string& asset_id) override {
    using out = result<std::optional<entry>>;
    auto& c = reader();
    std::lock_guard lock(c.mutex);
    sqlite3_stmt* stmt = c.prepare(std::string("SELECT ") + entry_columns +
                                   " FROM entries WHERE asset_id = ?1 AND scan_result <> ''"
                                   " ORDER BY id DESC LIMIT 1");
    if (stmt == nullptr)
      return out::failure("cannot read latest entry: " + c.error());
    statement_use use(stmt);
    bind_text(stmt, 1, asset_id);
    const int rc = sqlite3_step(stmt);
    if (rc == SQLITE_DONE)
      return std::optional<entry>();
    if (rc != SQLITE_ROW)
      return out::failure("cannot read latest entry: " + c.error());
    return std::optional<entry>(read_entry(stmt));
  }

  result<training_counts> count_training() override {
    using out = result<training_counts>;
    auto& c = reader();
    std::lock_guard lock(c.mutex);
    sqlite3_stmt* stmt = c.prepare("SELECT COUNT(*), COUNT(exploited),"
                                   " COALESCE(SUM(CASE WHEN exploited = 1 THEN 1 ELSE 0 END), 0)"
                                   " FROM training_examples");
    if (stmt == nullptr)
      return out::failure("cannot count training examples: " + c.error());
    statement_use use(stmt);
    if (sqlite3_step(stmt) != SQLITE_ROW)
      return out::failure("cannot count training examples: " + c.error());
    training_counts counts;
    counts.examples = sqlite3_column_int64(stmt, 0);
    counts.labelled = sqlite3_column_int64(stmt, 1);
    counts.positives = sqlite3_column_int64(stmt, 2);
    return counts;
  }

  result<std::vector<training_example>> labelled_examples(std::size_t limit) override {
    using out = result<std::vector<training_example>>;
    auto& c = reader();
    std::lock_guard lock(c.mutex);
    sqlite3_stmt* stmt = c.prepare("SELECT asset_id, scan_result, exploited, stored_at"
                                   " FROM training_examples WHERE exploited IS NOT NULL"
                                   " ORDER BY id LIMIT ?1");
    if (stmt == nullptr)
      return out::failure("cannot read training examples: " + c.error());
    statement_use use(stmt);
    sqlite3_bind_int64(stmt, 1, static_cast<sqlite3_int64>(limit));
    std::vector<training_example> list;
    int rc = SQLITE_ROW;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
      list.push_back({column_text(stmt, 0), column_text(stmt, 1), sqlite3_column_int(stmt, 2) != 0,
                      column_text(stmt, 3)});
    if (rc != SQLITE_DONE)
      return out::failure("cannot read training examples: " + c.error());
    return list;
  }

  result<done> store_model(const stored_model& m) override {
    std::lock_guard lock(writer_->mutex);
    auto& c = *writer_;
    sqlite3_stmt* stmt = c.prepare("INSERT INTO models (version, kind, created_at, metrics, blob)"
                                   " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (version) DO NOTHING");
    if (stmt == nullptr)
      return result<done>::failure("cannot store model: " + c.error());
    statement_use use(stmt);
    bind_text(stmt, 1, m.version);
    bind_text(stmt, 2, m.kind);
    bind_text(stmt, 3, m.created_at.empty() ? now_iso8601() : m.created_at);
    bind_text(stmt, 4, m.metrics);
    bind_text(stmt, 5, bytes_to_hex(m.model));
    if (sqlite3_step(stmt) != SQLITE_DONE)
      return result<done>::failure("cannot store model: " + c.error());
    return done{};
  }

  result<std::optional<stored_model>> latest_model(const std::string& kind) override {
    using out = result<std::optional<stored_model>>;
    auto& c = reader();
    std::lock_guard lock(c.mutex);
    sqlite3_stmt* stmt = c.prepare("SELECT version, kind, created_at, metrics, blob FROM models"
                                   " WHERE kind = ?1 ORDER BY created_at DESC, rowid DESC LIMIT 1");
    if (stmt == nullptr)
      return out::failure("cannot read models: " + c.error());
    statement_use use(stmt);
    bind_text(stmt, 1, kind);
    const int rc = sqlite3_step(stmt);
    if (rc == SQLITE_DONE)
      return std::optional<stored_model>();
    if (rc != SQLITE_ROW)
      return out::failure("cannot read models: " + c.error());
    return std::optional<stored_model>(stored_model{column_text(stmt, 0), column_text(stmt, 1),
                                                    column_text(stmt, 2), column_text(stmt, 3),
                                                    hex_to_bytes(column_text(stmt, 4))});
  }

  result<std::vector<stored_model>> list_models(const std::string& kind) override {
    using out = result<std::vector<stored_model>>;
    auto& c = reader();
    std::lock_guard lock(c.mutex);
    sqlite3_stmt* stmt = c.prepare("SELECT version, kind, created_at, metrics FROM models"
                                   " WHERE kind = ?1 ORDER BY created_at DESC, rowid DESC");
    if (stmt == nullptr)
      return out::failure("cannot list models: " + c.error());
    statement_use use(stmt);
    bind_text(stmt, 1, kind);
    std::vector<stored_model> list;
    int rc = SQLITE_ROW;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
      list.push_back({column_text(stmt, 0),
                      column_text(stmt, 1),
                      column_text(stmt, 2),
                      column_text(stmt, 3),
                      {}});
    if (rc != SQLITE_DONE)
      return out::failure("cannot list models: " + c.error());
    return list;
  }

  result<done> create_scan_job(const scan_job& job) override {
    std::lock_guard lock(writer_->mutex);
    return sqlite_scan_jobs::create_scan_job(*writer_, job);
  }
  result<done> store_scan_results(const std::string& job_id,
                                  const std::vector<scan_result_row>& rows) override {
    std::lock_guard lock(writer_->mutex);
    return sqlite_scan_jobs::store_scan_results(*writer_, job_id, rows);
  }
  result<done> finish_scan_job(const std::string& job_id, const std::string& status,
                               const std::string& error) override {
    std::lock_guard lock(writer_->mutex);
    return sqlite_scan_jobs::finish_scan_job(*writer_, job_id, status, error);
  }
  result<std::optional<scan_job>> find_scan_job(const std::string& id) override {
    auto& c = reader();
    std::lock_guard lock(c.mutex);
    return sqlite_scan_jobs::find_scan_job(c, id);
  }
  result<std::vector<scan_job>> unfinished_scan_jobs() override {
    auto& c = reader();
    std::lock_guard lock(c.mutex);
    return sqlite_scan_jobs::unfinished_scan_jobs(c);
  }
  result<std::vector<scan_result_row>> scan_results(const std::string& job_id, std::int64_t after,
                                                    std::size_t limit) override {
    auto& c = reader();
    std::lock_guard lock(c.mutex);
    return sqlite_scan_jobs::scan_results(c, job_id, after, limit);
  }

  int schema_version() const override { return version_; }

private:
  sqlite_connection& reader() { return reader_ ? *reader_ : *writer_; }

  /// Inserts one batch inside the open transaction; false on failure (see
  /// `writer_->error()`). Skips the batch when its request id or its answer's key
  /// is stored already.
  bool insert_batch(const write_batch& batch, const std::string& now) {
    auto& c = *writer_;
    if (!batch.request_id.empty()) {
      sqlite3_stmt* stmt = c.prepare("INSERT INTO stored_requests (request_id, stored_at)"
                                     " VALUES (?1, ?2) ON CONFLICT (request_id) DO NOTHING");
      if (stmt == nullptr)
        return false;
      statement_use use(stmt);
      bind_text(stmt, 1, batch.request_id);
      bind_text(stmt, 2, now);
      if (sqlite3_step(stmt) != SQLITE_DONE)
        return false;
      if (sqlite3_changes(c.db()) == 0)
        return true; // this request is already stored: store nothing twice
    }
    if (batch.answer) {
      sqlite3_stmt* stmt = c.prepare(
          "INSERT INTO idempotent_answers (key, route, status, body, stored_at, fingerprint)"
          " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (key) DO NOTHING");
      if (stmt == nullptr)
        return false;
      statement_use use(stmt);
      bind_text(stmt, 1, batch.answer->key);
      bind_text(stmt, 2, batch.answer->route);
      sqlite3_bind_int64(stmt, 3, batch.answer->status);
      bind_text(stmt, 4, batch.answer->body);
      bind_text(stmt, 5, now);
      bind_text(stmt, 6, batch.answer->fingerprint);
      if (sqlite3_step(stmt) != SQLITE_DONE)
        return false;
      if (sqlite3_changes(c.db()) == 0)
        return true; // this request is already stored: store nothing twice
    }
    for (const entry& e : batch.entries) {
      sqlite3_stmt* stmt =
          c.prepare("INSERT INTO entries (asset_id, request_id, operation, scan_timestamp,"
                    " stored_at, scan_result, prediction, anomaly)"
                    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
      if (stmt == nullptr)
        return false;
      statement_use use(stmt);
      bind_text(stmt, 1, e.asset_id);
      bind_text_or_null(stmt, 2, e.request_id);
      bind_text_or_null(stmt, 3, e.operation);
      bind_text_or_null(stmt, 4, e.scan_timestamp);
      bind_text_or_null(stmt, 5, e.stored_at.empty() ? now : e.stored_at);
      bind_text(stmt, 6, e.scan_result);
      bind_text_or_null(stmt, 7, e.prediction);
      bind_text_or_null(stmt, 8, e.anomaly);
      if (sqlite3_step(stmt) != SQLITE_DONE)
        return false;
    }
    for (const training_example& x : batch.examples) {
      sqlite3_stmt* stmt =
          c.prepare("INSERT INTO training_examples (asset_id, scan_result, exploited, stored_at)"
                    " VALUES (?1, ?2, ?3, ?4)");
      if (stmt == nullptr)
        return false;
      statement_use use(stmt);
      bind_text(stmt, 1, x.asset_id);
      bind_text(stmt, 2, x.scan_result);
      if (x.exploited)
        sqlite3_bind_int(stmt, 3, *x.exploited ? 1 : 0);
      else
        sqlite3_bind_null(stmt, 3);
      bind_text_or_null(stmt, 4, x.stored_at.empty() ? now : x.stored_at);
      if (sqlite3_step(stmt) != SQLITE_DONE)
        return false;
    }
    return true;
  }

  const std::unique_ptr<sqlite_connection> writer_; // its mutex serialises writes
  const std::unique_ptr<sqlite_connection> reader_; // null for a private database
  const int version_;
};

} // namespace

result<std::unique_ptr<storage>> open_sqlite(const sqlite_options& options) {
  using out = result<std::unique_ptr<storage>>;
  auto writer = sqlite_connection::open(options, sqlite_connection::role::writer);
  if (!writer)
    return out::failure(writer.error());
  auto version = migrate(**writer, options.path);
  if (!version)
    return out::failure(version.error());
  std::unique_ptr<sqlite_connection> reader;
  if (!is_private_database(options.path)) {
    auto opened = sqlite_connection::open(options, sqlite_connection::role::reader);
    if (!opened)
      return out::failure(opened.error());
    reader = std::move(*opened);
  }
  return std::unique_ptr<storage>(
      std::make_unique<sqlite_storage>(std::move(*writer), std::move(reader), *version));
}

} // namespace qs::runtime::storage
