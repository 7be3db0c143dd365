// open_database: which back-end each form of database URL opens.
#include <filesystem>

#include <catch2/catch.hpp>

#include "runtime/storage/migrations.hpp"
#include "runtime/storage/open_database.hpp"
#include "tests/postgres/postgres_test_util.hpp"
#include "tests/unit/storage_test_util.hpp"

using namespace qs::runtime::storage;
using qs::test::make_batch;
using qs::test::pg_database;
using qs::test::temp_folder;

TEST_CASE("open_database opens SQLite for sqlite:PATH and for a bare path", "[postgres]") {
  temp_folder dir;
  for (const std::string& url :
       {"sqlite:" + dir.file("a.db"), "sqlite://" + dir.file("b.db"), dir.file("c.db")}) {
    INFO(url);
    auto db = open_database(url, true);
    REQUIRE(db);
    REQUIRE((*db)->write(make_batch("asset-1", 1, 1)));
  }
  for (const std::string name : {"a.db", "b.db", "c.db"}) {
    INFO(name);
    CHECK(qs::test::query_one(dir.file(name), "SELECT COUNT(*) FROM entries") == "1");
  }
  auto memory = open_database("sqlite::memory:", false);
  REQUIRE(memory);
  CHECK((*memory)->schema_version() == latest_schema_version());
}

TEST_CASE("open_database opens PostgreSQL for postgresql:// and postgres:// URLs", "[postgres]") {
  pg_database pg;
  const std::string url = pg.url();
  REQUIRE(url.rfind("postgresql://", 0) == 0);
  {
    auto db = open_database(url, true);
    INFO((db ? "" : db.error()));
    REQUIRE(db);
    REQUIRE((*db)->write(make_batch("asset-1", 1, 1)));
  }
  auto db = open_database("postgres://" + url.substr(13), false);
  INFO((db ? "" : db.error()));
  REQUIRE(db);
  CHECK((*db)->history("asset-1", 10, std::nullopt)->total == 1);
  CHECK(pg.query_one("SELECT COUNT(*) FROM entries") == "1");
}

TEST_CASE("open_database refuses an unknown scheme and an empty URL", "[postgres]") {
  auto mysql = open_database("mysql://root@localhost/qscan", true);
  REQUIRE_FALSE(mysql);
  CHECK(mysql.error() ==
        "unsupported database URL scheme \"mysql\": use sqlite:PATH, a file path, or "
        "postgresql://...");
  for (const std::string empty : {"", "sqlite:"}) {
    auto db = open_database(empty, true);
    REQUIRE_FALSE(db);
    CHECK_THAT(db.error(), Catch::StartsWith("no database given"));
  }
}

TEST_CASE("open_database reports an unreachable PostgreSQL server", "[postgres]") {
  auto db = open_database("postgresql://postgres@127.0.0.1:1/qscan", true);
  REQUIRE_FALSE(db);
  CHECK_THAT(db.error(), Catch::StartsWith("postgresql: cannot connect to host=127.0.0.1 port=1"));
}
