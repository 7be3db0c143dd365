// One PostgreSQL connection (libpq), the mutex that serialises its users, and
// parameterised queries on it. Used only inside the PostgreSQL back-end.
//
// Every query goes through PQexecParams with text parameters: values are never
// spliced into SQL. Failures are sentences. A lost connection is reset
// (PQreset) by the next call, once: at its start, or when its first statement
// finds the connection broken (then that statement runs again). A reset that
// fails reads "postgresql: cannot connect to host=H port=P dbname=D: <why>".
//
// Threads: a PGconn must be used by one thread at a time: hold `mutex` around
// every call, and destroy results before releasing it.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <libpq-fe.h>

#include "runtime/storage/storage.hpp"

namespace qs::runtime::storage {

struct pg_result_clear {
  void operator()(PGresult* result) const noexcept { PQclear(result); }
};
/// A query's rows (or its "INSERT 0 1" status); null when the query failed.
using pg_result = std::unique_ptr<PGresult, pg_result_clear>;

/// The parameters $1, $2, ... of one query, sent as text; the server infers
/// their types from the statement.
class pg_params {
public:
  pg_params& text(const std::string& value);
  pg_params& text_or_null(const std::string& value); ///< NULL when empty
  pg_params& integer(std::int64_t value);
  pg_params& null();

  int size() const { return static_cast<int>(values_.size()); }
  /// Pointers into this object for PQexecParams (nullptr for NULL).
  std::vector<const char*> pointers() const;
  /// Why a value cannot be sent ("" if all can): text holding a NUL byte.
  const std::string& problem() const { return problem_; }

private:
  std::vector<std::string> values_;
  std::vector<bool> nulls_;
  std::string problem_;
};

class pg_connection {
public:
  /// Connects with `conninfo` (a postgresql:// URL or "key=value ..." string)
  /// and sets the session up: UTF8, synchronous_commit at least on, and for a
  /// `read_only` connection default_transaction_read_only. Errors read
  /// "postgresql: cannot connect to ...: <why>".
  static result<std::unique_ptr<pg_connection>> open(const std::string& conninfo, bool read_only);

  pg_connection(PGconn* conn, bool read_only) : conn_(conn), read_only_(read_only) {}
  ~pg_connection() { PQfinish(conn_); }
  pg_connection(const pg_connection&) = delete;
  pg_connection& operator=(const pg_connection&) = delete;

  /// Runs one statement; null on failure (see `error()`).
  pg_result run(const std::string& sql, const pg_params& params = {});

  /// The first statement of a call, which must be safe to repeat (BEGIN, a
  /// read). Resets the connection, at most once, when it is down or when the
  /// statement finds it broken (the server restarted or ended the session
  /// since the last call); in the second case runs the statement again.
  pg_result run_first(const std::string& sql, const pg_params& params = {});

  /// Rows changed by the INSERT/UPDATE/DELETE that produced `result`.
  static std::int64_t changed_rows(const PGresult* result);

  /// Why the last failed call failed: the server's primary message
  /// ("poisoned"), or what happened to the connection.
  const std::string& error() const { return error_; }

  /// "host=H port=P dbname=D" (never the password), for messages.
  std::string where() const;

  /// True inside a transaction block (open or failed).
  bool in_transaction() const;

  std::mutex mutex; ///< held by whoever uses this connection

private:
  /// PQreset, then the session settings again; false (see `error()`) on failure.
  bool reset_once();
  bool set_up_session();
  bool fail_setup();

  PGconn* conn_;
  const bool read_only_;
  std::string error_; // GUARDED_BY(mutex)
};

/// Rolls back the connection's open transaction, if any, when the scope ends
/// (after a successful COMMIT there is none, so nothing happens).
class pg_rollback_guard {
public:
  explicit pg_rollback_guard(pg_connection& c) : c_(c) {}
  ~pg_rollback_guard() {
    if (c_.in_transaction())
      c_.run("ROLLBACK");
  }
  pg_rollback_guard(const pg_rollback_guard&) = delete;
  pg_rollback_guard& operator=(const pg_rollback_guard&) = delete;

private:
  pg_connection& c_;
};

/// Column `column` of row `row` as text; NULL reads as "".
std::string pg_text(const PGresult* result, int row, int column);

/// Column `column` of row `row` as an integer; NULL or not a number reads as 0.
std::int64_t pg_integer(const PGresult* result, int row, int column);

} // namespace qs::runtime::storage
