#include "runtime/storage/sql/sqlite.hpp"

#include <map>

#include <sqlite3.h>

namespace qs::runtime::storage::sql {

namespace {

struct db_closer {
  void operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
};
struct stmt_finalizer {
  void operator()(sqlite3_stmt* stmt) const noexcept { sqlite3_finalize(stmt); }
};
using db_handle = std::unique_ptr<sqlite3, db_closer>;
using stmt_handle = std::unique_ptr<sqlite3_stmt, stmt_finalizer>;

/// Resets a cached statement and clears its bindings when a use ends.
struct statement_use {
  sqlite3_stmt* stmt;
  ~statement_use() {
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
  }
};

class sqlite_connection final : public connection {
public:
  sqlite_connection(db_handle db, std::string path) : db_(std::move(db)), path_(std::move(path)) {}

  sql::dialect dialect() const override { return sql::dialect::sqlite; }
  std::string where() const override { return path_; }

  expected<rows> query(std::string_view sql, const params& values) override {
    auto stmt = bound(sql, values);
    if (!stmt)
      return stmt.error();
    statement_use use{*stmt};
    rows out;
    const int columns = sqlite3_column_count(*stmt);
    int rc;
    while ((rc = sqlite3_step(*stmt)) == SQLITE_ROW) {
      std::vector<rows::cell> row(static_cast<std::size_t>(columns));
      for (int c = 0; c < columns; ++c) {
        const int type = sqlite3_column_type(*stmt, c);
        if (type == SQLITE_NULL)
          continue;
        const void* data = type == SQLITE_BLOB
                               ? sqlite3_column_blob(*stmt, c)
                               : static_cast<const void*>(sqlite3_column_text(*stmt, c));
        const auto size = static_cast<std::size_t>(sqlite3_column_bytes(*stmt, c));
        row[static_cast<std::size_t>(c)].emplace(static_cast<const char*>(data), size);
      }
      out.add(std::move(row));
    }
    if (rc != SQLITE_DONE)
      return failure(rc);
    return out;
  }

  expected<std::int64_t> execute(std::string_view sql, const params& values) override {
    auto stmt = bound(sql, values);
    if (!stmt)
      return stmt.error();
    statement_use use{*stmt};
    int rc;
    while ((rc = sqlite3_step(*stmt)) == SQLITE_ROW) {
    }
    if (rc != SQLITE_DONE)
      return failure(rc);
    return static_cast<std::int64_t>(sqlite3_changes(db_.get()));
  }

  expected<void> begin(access mode) override {
    return run(mode == access::write ? "BEGIN IMMEDIATE" : "BEGIN");
  }
  expected<void> commit() override { return run("COMMIT"); }
  void rollback() noexcept override {
    if (sqlite3_get_autocommit(db_.get()) == 0)
      sqlite3_exec(db_.get(), "ROLLBACK", nullptr, nullptr, nullptr);
  }

  expected<void> run(const char* sql) {
    const int rc = sqlite3_exec(db_.get(), sql, nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK)
      return failure(rc);
    return {};
  }

  qs::error failure(int rc) const {
    const int primary = rc & 0xff;
    const auto code =
        primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB ? errc::corrupt : errc::unavailable;
    return {code, path_ + ": " + sqlite3_errmsg(db_.get())};
  }

private:
  /// The cached statement for `sql` with `values` bound.
  expected<sqlite3_stmt*> bound(std::string_view sql, const params& values) {
    auto found = cache_.find(sql);
    if (found == cache_.end()) {
      sqlite3_stmt* raw = nullptr;
      const int rc = sqlite3_prepare_v3(db_.get(), sql.data(), static_cast<int>(sql.size()),
                                        SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
      if (rc != SQLITE_OK)
        return failure(rc);
      found = cache_.emplace(std::string(sql), stmt_handle(raw)).first;
    }
    sqlite3_stmt* stmt = found->second.get();
    int index = 0;
    for (const auto& v : values.values()) {
      ++index;
      int rc = SQLITE_OK;
      switch (v.type) {
      case params::kind::null:
        rc = sqlite3_bind_null(stmt, index);
        break;
      case params::kind::integer:
        rc = sqlite3_bind_int64(stmt, index, v.number);
        break;
      case params::kind::text:
        rc = sqlite3_bind_text64(stmt, index, v.bytes.data(), v.bytes.size(), SQLITE_STATIC,
                                 SQLITE_UTF8);
        break;
      case params::kind::blob:
        rc = sqlite3_bind_blob64(stmt, index, v.bytes.data(), v.bytes.size(), SQLITE_STATIC);
        break;
      }
      if (rc != SQLITE_OK) {
        sqlite3_clear_bindings(stmt);
        return failure(rc);
      }
    }
    return stmt;
  }

  db_handle db_;
  std::string path_;
  std::map<std::string, stmt_handle, std::less<>> cache_; // GUARDED_BY(mutex)
};

/// The first column of the first row of `sql` ("" when none), or nullopt on failure.
std::optional<std::string> query_text(sqlite3* db, const char* sql) {
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &raw, nullptr) != SQLITE_OK)
    return std::nullopt;
  stmt_handle stmt(raw);
  const int rc = sqlite3_step(stmt.get());
  if (rc == SQLITE_ROW) {
    const auto* text = sqlite3_column_text(stmt.get(), 0);
    return text ? std::string(reinterpret_cast<const char*>(text)) : std::string();
  }
  return rc == SQLITE_DONE ? std::optional<std::string>("") : std::nullopt;
}

} // namespace

bool is_private_database(const std::string& path) {
  return path.empty() || path == ":memory:";
}

expected<std::unique_ptr<connection>> open_sqlite(const sqlite_options& options) {
  sqlite3* raw = nullptr;
  const int flags = options.read_only
                        ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX
                        : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  const int rc = sqlite3_open_v2(options.path.c_str(), &raw, flags, nullptr);
  db_handle db(raw);
  const auto fail = [&](const std::string& why) {
    return qs::error(errc::unavailable, "cannot open " + options.path + ": " + why);
  };
  if (rc != SQLITE_OK)
    return fail(db ? sqlite3_errmsg(db.get()) : sqlite3_errstr(rc));
  sqlite3_busy_timeout(db.get(), options.busy_timeout_ms);
  if (!options.read_only) {
    const auto mode = query_text(db.get(), "PRAGMA journal_mode=WAL");
    if (!mode)
      return fail(sqlite3_errmsg(db.get()));
    if (*mode != "wal" && !is_private_database(options.path))
      return fail("cannot turn on WAL mode (journal_mode is " + *mode + ")");
  }
  std::string pragmas =
      options.synchronous_full ? "PRAGMA synchronous=FULL;" : "PRAGMA synchronous=NORMAL;";
  pragmas += "PRAGMA foreign_keys=ON;";
  if (options.read_only)
    pragmas += "PRAGMA query_only=ON;";
  if (sqlite3_exec(db.get(), pragmas.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK)
    return fail(sqlite3_errmsg(db.get()));
  return std::unique_ptr<connection>(
      std::make_unique<sqlite_connection>(std::move(db), options.path));
}

} // namespace qs::runtime::storage::sql
