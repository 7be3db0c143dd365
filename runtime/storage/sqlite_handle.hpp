// RAII owners for SQLite handles. `db_handle` closes a connection and
// `stmt_handle` finalizes a prepared statement; both are std::unique_ptr, so
// `release()` hands ownership on. `statement_use` resets a cached statement and
// clears its bindings when a use of it ends, however it ends; `rollback_guard`
// rolls back a transaction that is still open when a scope ends.
//
// Threads: a handle is used by one thread at a time (the caller's mutex).
#pragma once

#include <memory>

#include <sqlite3.h>

namespace qs::runtime::storage {

struct db_closer {
  void operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
};
using db_handle = std::unique_ptr<sqlite3, db_closer>;

struct stmt_finalizer {
  void operator()(sqlite3_stmt* stmt) const noexcept { sqlite3_finalize(stmt); }
};
using stmt_handle = std::unique_ptr<sqlite3_stmt, stmt_finalizer>;

/// One use of a cached statement: resets it and clears its bindings on exit.
class statement_use {
public:
  explicit statement_use(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~statement_use() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  statement_use(const statement_use&) = delete;
  statement_use& operator=(const statement_use&) = delete;

  sqlite3_stmt* get() const { return stmt_; }

private:
  sqlite3_stmt* stmt_;
};

/// Rolls back the connection's open transaction, if any, when the scope ends
/// (after a successful COMMIT there is none, so nothing happens).
class rollback_guard {
public:
  explicit rollback_guard(sqlite3* db) : db_(db) {}
  ~rollback_guard() {
    if (sqlite3_get_autocommit(db_) == 0)
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }
  rollback_guard(const rollback_guard&) = delete;
  rollback_guard& operator=(const rollback_guard&) = delete;

private:
  sqlite3* db_;
};

} // namespace qs::runtime::storage
