// One connection of the SQL layer: SQLite or PostgreSQL behind one interface, so
// every store, the migrations and the contract tests are written once. Statements
// use ?1, ?2, ... placeholders (translated for PostgreSQL); the SQL itself is the
// subset both speak (INSERT ... ON CONFLICT DO NOTHING, CASE, LIMIT), and the few
// differences are asked of `dialect()` (migrations only).
//
// Transactions: `transaction::begin(c, access::write)` serialises writers across
// processes (SQLite BEGIN IMMEDIATE; PostgreSQL BEGIN and the database's advisory
// write lock), so ids increase in commit order; `access::read` gives one snapshot
// for several statements (SQLite BEGIN; PostgreSQL REPEATABLE READ, read only).
//
// Errors are `storage::errc::unavailable` with the back-end's sentence, except
// where a method says otherwise.
//
// Threads: a connection is used by one thread at a time: hold `mutex` around each
// use (a `transaction` holds it for its whole life).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "runtime/expected.hpp"
#include "runtime/storage/errc.hpp"
#include "runtime/storage/sql/values.hpp"

namespace qs::runtime::storage::sql {

enum class dialect { sqlite, postgresql };
enum class access { read, write };

class connection {
public:
  virtual ~connection() = default;

  virtual sql::dialect dialect() const = 0;
  /// Where this connection points, for messages ("var/qscan.db", "postgresql
  /// host=H port=P dbname=D"); never a password.
  virtual std::string where() const = 0;

  /// Runs one statement and returns its rows.
  virtual expected<rows> query(std::string_view sql, const params& values = {}) = 0;
  /// Runs one statement and returns how many rows it changed.
  virtual expected<std::int64_t> execute(std::string_view sql, const params& values = {}) = 0;

  virtual expected<void> begin(access mode) = 0;
  virtual expected<void> commit() = 0;
  /// Rolls back the open transaction, if any.
  virtual void rollback() noexcept = 0;

  std::mutex mutex; ///< held by whoever uses the connection
};

/// A transaction that holds its connection's mutex and rolls back unless committed.
class transaction {
public:
  static expected<transaction> begin(connection& c, access mode);

  transaction(transaction&& other) noexcept;
  transaction& operator=(transaction&&) = delete;
  ~transaction();

  connection* operator->() const { return c_; }
  connection& operator*() const { return *c_; }

  expected<void> commit();

private:
  transaction(connection& c, std::unique_lock<std::mutex> lock) : c_(&c), lock_(std::move(lock)) {}
  connection* c_;
  std::unique_lock<std::mutex> lock_;
  bool open_ = true;
};

/// Now, UTC, as ISO 8601 with microseconds ("2026-05-01T12:00:00.123456+00:00"),
/// the shape stored in `stored_at` and `created_at` columns.
std::string now_iso8601();

} // namespace qs::runtime::storage::sql
