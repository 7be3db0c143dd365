#include "runtime/storage/sqlite_connection.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace qs::runtime::storage {

namespace {

/// The first column of the first row of `sql`, or nullopt on failure.
std::optional<std::string> query_text(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &raw, nullptr) != SQLITE_OK)
    return std::nullopt;
  stmt_handle stmt(raw);
  const int rc = sqlite3_step(stmt.get());
  if (rc == SQLITE_ROW)
    return column_text(stmt.get(), 0);
  if (rc == SQLITE_DONE)
    return std::string();
  return std::nullopt;
}

} // namespace

result<std::unique_ptr<sqlite_connection>> sqlite_connection::open(const sqlite_options& options,
                                                                   role which) {
  using failed = result<std::unique_ptr<sqlite_connection>>;
  sqlite3* raw = nullptr;
  const int rc =
      sqlite3_open_v2(options.path.c_str(), &raw,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  db_handle db(raw);
  const auto fail = [&](const std::string& why) {
    return failed::failure("cannot open " + options.path + ": " + why);
  };
  if (rc != SQLITE_OK)
    return fail(db ? sqlite3_errmsg(db.get()) : sqlite3_errstr(rc));
  sqlite3_busy_timeout(db.get(), options.busy_timeout_ms);

  if (which == role::writer) {
    const auto mode = query_text(db.get(), "PRAGMA journal_mode=WAL");
    if (!mode)
      return fail(sqlite3_errmsg(db.get()));
    if (*mode != "wal" && !is_private_database(options.path))
      return fail("cannot turn on WAL mode (journal_mode is " + *mode + ")");
  }
  std::string pragmas =
      options.synchronous_full ? "PRAGMA synchronous=FULL;" : "PRAGMA synchronous=NORMAL;";
  pragmas += "PRAGMA foreign_keys=ON;";
  if (which == role::reader)
    pragmas += "PRAGMA query_only=ON;";
  if (sqlite3_exec(db.get(), pragmas.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK)
    return fail(sqlite3_errmsg(db.get()));
  return std::make_unique<sqlite_connection>(std::move(db));
}

sqlite3_stmt* sqlite_connection::prepare(const std::string& sql) {
  if (auto found = cache_.find(sql); found != cache_.end())
    return found->second.get();
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v3(db_.get(), sql.c_str(), static_cast<int>(sql.size() + 1),
                         SQLITE_PREPARE_PERSISTENT, &raw, nullptr) != SQLITE_OK)
    return nullptr;
  stmt_handle stmt(raw);
  return cache_.emplace(sql, std::move(stmt)).first->second.get();
}

bool sqlite_connection::exec(const std::string& sql) {
  return sqlite3_exec(db_.get(), sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK;
}

bool is_private_database(const std::string& path) {
  return path.empty() || path == ":memory:";
}

std::string column_text(sqlite3_stmt* stmt, int column) {
  const auto* text = sqlite3_column_text(stmt, column);
  if (text == nullptr)
    return {};
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<std::size_t>(sqlite3_column_bytes(stmt, column)));
}

int bind_text_or_null(sqlite3_stmt* stmt, int index, const std::string& text) {
  if (text.empty())
    return sqlite3_bind_null(stmt, index);
  return bind_text(stmt, index, text);
}

int bind_text(sqlite3_stmt* stmt, int index, const std::string& text) {
  return sqlite3_bind_text64(stmt, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
}

std::string
now_iso8601() { // the shape of protocol/timestamp.hpp (Python reads it on every version)
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const auto micros =
      std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count() %
      1000000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[48];
  const std::size_t n = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  std::snprintf(text + n, sizeof text - n, ".%06d+00:00", static_cast<int>(micros));
  return text;
}

} // namespace qs::runtime::storage
