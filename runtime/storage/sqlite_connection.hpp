// One SQLite connection, its cache of prepared statements, and the mutex that
// serialises its users. Used only inside the SQLite back-end.
//
// Threads: SQLite is opened in multi-thread mode (SQLITE_OPEN_NOMUTEX), so a
// connection must be used by one thread at a time: hold `mutex` around every
// call, and keep statements from `prepare` only while holding it.
#pragma once

#include <mutex>
#include <string>
#include <unordered_map>

#include "runtime/storage/sqlite_handle.hpp"
#include "runtime/storage/storage.hpp"

namespace qs::runtime::storage {

class sqlite_connection {
public:
  enum class role { writer, reader };

  /// Opens `options.path` and sets the pragmas: the writer turns on WAL mode;
  /// both set synchronous, busy_timeout and foreign keys; the reader is
  /// query_only. Errors read "cannot open <path>: <why>".
  static result<std::unique_ptr<sqlite_connection>> open(const sqlite_options& options, role which);

  explicit sqlite_connection(db_handle db) : db_(std::move(db)) {}

  sqlite3* db() const { return db_.get(); }

  /// SQLite's message for the last failed call on this connection.
  std::string error() const { return sqlite3_errmsg(db_.get()); }

  /// The cached prepared statement for `sql`, prepared on first use; nullptr
  /// on failure (see `error()`). Wrap each use in a `statement_use`.
  sqlite3_stmt* prepare(const std::string& sql);

  /// Runs statements that return no rows; false on failure (see `error()`).
  bool exec(const std::string& sql);

  std::mutex mutex; ///< held by whoever uses this connection

private:
  db_handle db_;
  std::unordered_map<std::string, stmt_handle> cache_; // GUARDED_BY(mutex)
};

/// True for a database that lives in one connection's memory (":memory:", or
/// "" for a private temporary file), which a second connection cannot share.
bool is_private_database(const std::string& path);

/// A text column; NULL reads as "".
std::string column_text(sqlite3_stmt* stmt, int column);

/// Binds `text`, or NULL when it is empty.
int bind_text_or_null(sqlite3_stmt* stmt, int index, const std::string& text);

int bind_text(sqlite3_stmt* stmt, int index, const std::string& text);

/// Now, UTC, as ISO 8601 ("2024-05-01T12:00:00.123Z").
std::string now_iso8601();

} // namespace qs::runtime::storage
