// Helpers for the SQLite storage tests: a temporary folder removed at the end, a
// database opened in it, and statements through a separate raw SQLite connection.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>

#include <sqlite3.h>

#include <catch2/catch.hpp>

#include "runtime/storage/database.hpp"

namespace qs::test {

/// A fresh folder under $TMPDIR (or /tmp), removed with all it holds.
class temp_folder {
public:
  temp_folder() {
    const char* base = std::getenv("TMPDIR");
    std::string pattern = std::string(base && *base ? base : "/tmp") + "/qs-storage-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr)
      throw std::runtime_error("cannot create a temporary folder from " + pattern);
    path_ = pattern;
  }
  ~temp_folder() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  temp_folder(const temp_folder&) = delete;
  temp_folder& operator=(const temp_folder&) = delete;

  std::string file(const std::string& name) const { return (path_ / name).string(); }

private:
  std::filesystem::path path_;
};

/// The first column of the first row of `sql` on the database at `path`,
/// read through a connection of its own; nullopt when there is no row.
inline std::optional<std::string> query_one(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    sqlite3_close_v2(db);
    throw std::runtime_error("cannot open " + path);
  }
  sqlite3_busy_timeout(db, 5000);
  sqlite3_stmt* stmt = nullptr;
  std::optional<std::string> value;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    const std::string why = sqlite3_errmsg(db);
    sqlite3_close_v2(db);
    throw std::runtime_error("cannot run " + sql + ": " + why);
  }
  if (sqlite3_step(stmt) == SQLITE_ROW) {
    const auto* text = sqlite3_column_text(stmt, 0);
    value = text ? reinterpret_cast<const char*>(text) : "";
  }
  sqlite3_finalize(stmt);
  sqlite3_close_v2(db);
  return value;
}

/// Runs `sql` (no rows expected) on the database at `path` through a
/// connection of its own (creating the file), e.g. to install a fault-injecting trigger.
inline void execute(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  sqlite3_busy_timeout(db, 5000);
  char* error = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
  const std::string why = error ? error : "";
  sqlite3_free(error);
  sqlite3_close_v2(db);
  if (rc != SQLITE_OK)
    throw std::runtime_error("cannot run " + sql + ": " + why);
}

/// Opens (creating and migrating) a database at `path`, failing the test if it cannot.
inline std::shared_ptr<runtime::storage::database> open_at(const std::string& path) {
  auto opened = runtime::storage::database::open({"sqlite:" + path, true});
  if (!opened)
    FAIL(opened.error().message);
  return *opened;
}

} // namespace qs::test
