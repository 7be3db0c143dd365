// Helpers for the PostgreSQL tests: the URL of the test server that the CTest
// fixture "postgres" starts (tools/postgres writes it to QS_PG_URL_FILE), a
// raw libpq session for setup and checks, and a fresh database per test,
// dropped at the end, so test cases run in parallel without sharing tables.
//
// Without the URL file a test fails (never skips): run these tests through
// ctest, or start a server with `tools/postgres start build/pg` first.
#pragma once

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <memory>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include <libpq-fe.h>

#include <catch2/catch.hpp>

#include "runtime/storage/database.hpp"

namespace qs::test {

/// The test server's URL, "postgresql://postgres@127.0.0.1:PORT/qscan".
inline std::string pg_server_url() {
  std::ifstream in(QS_PG_URL_FILE);
  std::string url;
  if (!in || !std::getline(in, url) || url.empty())
    FAIL("no PostgreSQL test server: " QS_PG_URL_FILE
         " is missing. The CTest fixture \"postgres: start\" writes it; run these tests"
         " through ctest, or run tools/postgres start <build>/pg first");
  return url;
}

/// `url` with its database name replaced by `name`.
inline std::string with_database(const std::string& url, const std::string& name) {
  const auto slash = url.rfind('/');
  if (slash == std::string::npos || slash < url.find("://") + 3)
    throw std::runtime_error("no database name in URL " + url);
  return url.substr(0, slash + 1) + name;
}

/// One libpq connection for test setup; every failure throws.
class pg_session {
public:
  explicit pg_session(const std::string& url) : conn_(PQconnectdb(url.c_str())) {
    if (PQstatus(conn_) != CONNECTION_OK) {
      const std::string why = PQerrorMessage(conn_);
      PQfinish(conn_);
      throw std::runtime_error("cannot connect to " + url + ": " + why);
    }
  }
  ~pg_session() { PQfinish(conn_); }
  pg_session(const pg_session&) = delete;
  pg_session& operator=(const pg_session&) = delete;

  /// Runs `sql` with text `params`; the first column of the first row, or
  /// nullopt when there is no row (or it is NULL).
  std::optional<std::string> query_one(const std::string& sql,
                                       const std::vector<std::string>& params = {}) {
    std::vector<const char*> values;
    for (const auto& p : params)
      values.push_back(p.c_str());
    PGresult* res = PQexecParams(conn_, sql.c_str(), static_cast<int>(values.size()), nullptr,
                                 values.data(), nullptr, nullptr, 0);
    const auto status = PQresultStatus(res);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      const std::string why = PQresultErrorMessage(res);
      PQclear(res);
      throw std::runtime_error("cannot run " + sql + ": " + why);
    }
    std::optional<std::string> value;
    if (status == PGRES_TUPLES_OK && PQntuples(res) > 0 && !PQgetisnull(res, 0, 0))
      value = PQgetvalue(res, 0, 0);
    PQclear(res);
    return value;
  }

  void execute(const std::string& sql, const std::vector<std::string>& params = {}) {
    query_one(sql, params);
  }

private:
  PGconn* conn_;
};

/// A database of its own on the test server, "qs_test_<random hex>", dropped
/// (with any connection still open to it) when the object goes.
class pg_database {
public:
  pg_database() : server_(pg_server_url()) {
    std::random_device random;
    const std::uint64_t n = (std::uint64_t{random()} << 32) ^ random();
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(n));
    name_ = std::string("qs_test_") + hex; // [a-z0-9_] only: safe as an identifier
    pg_session(server_).execute("CREATE DATABASE " + name_);
    url_ = with_database(server_, name_);
  }
  ~pg_database() {
    try {
      pg_session(server_).execute("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    } catch (const std::exception& e) {
      std::fprintf(stderr, "cannot drop test database %s: %s\n", name_.c_str(), e.what());
    }
  }
  pg_database(const pg_database&) = delete;
  pg_database& operator=(const pg_database&) = delete;

  const std::string& url() const { return url_; }
  const std::string& name() const { return name_; }

  /// Through a connection of its own, as qs::test::query_one does for SQLite.
  std::optional<std::string> query_one(const std::string& sql,
                                       const std::vector<std::string>& params = {}) const {
    return pg_session(url_).query_one(sql, params);
  }
  void execute(const std::string& sql, const std::vector<std::string>& params = {}) const {
    pg_session(url_).execute(sql, params);
  }

  /// Opens (creating and migrating) the database, failing the test if it cannot.
  std::shared_ptr<runtime::storage::database> open() const {
    auto opened = runtime::storage::database::open({url_, true});
    if (!opened)
      FAIL(opened.error().message);
    return *opened;
  }

  /// Makes every later insert of an entry of `asset` fail ("poisoned").
  void refuse_asset(const std::string& asset) const {
    execute("CREATE FUNCTION refuse_" + asset +
            "() RETURNS trigger AS $$ BEGIN IF NEW.asset = (SELECT id FROM assets WHERE name = '" +
            asset + "') THEN RAISE EXCEPTION 'poisoned'; END IF; RETURN NEW; END $$" +
            " LANGUAGE plpgsql");
    execute("CREATE TRIGGER refuse_" + asset + " BEFORE INSERT ON entries FOR EACH ROW EXECUTE " +
            "FUNCTION refuse_" + asset + "()");
  }

private:
  std::string server_;
  std::string name_;
  std::string url_;
};

} // namespace qs::test
