// database::open: which back-end each form of database URL opens.
#include <filesystem>

#include <catch2/catch.hpp>

#include "runtime/storage/database.hpp"
#include "runtime/storage/migrations.hpp"
#include "tests/postgres/postgres_test_util.hpp"
#include "tests/support/storage_contract.hpp"
#include "tests/unit/storage_test_util.hpp"

using namespace qs::runtime::storage;
using qs::test::make_batch;
using qs::test::pg_database;
using qs::test::temp_folder;

TEST_CASE("a database URL opens SQLite for sqlite:PATH and for a bare path", "[postgres]") {
  temp_folder dir;
  for (const std::string& url :
       {"sqlite:" + dir.file("a.db"), "sqlite://" + dir.file("b.db"), dir.file("c.db")}) {
    INFO(url);
    auto db = database::open({url, true});
    REQUIRE(db);
    CHECK((*db)->dialect() == sql::dialect::sqlite);
    REQUIRE((*db)->writer()->write(make_batch("asset-1", 1, 1)));
  }
  for (const std::string name : {"a.db", "b.db", "c.db"}) {
    INFO(name);
    CHECK(qs::test::query_one(dir.file(name), "SELECT COUNT(*) FROM entries") == "1");
  }
  auto memory = database::open({"sqlite::memory:", false});
  REQUIRE(memory);
  CHECK((*memory)->schema_version() == latest_schema_version());
}

TEST_CASE("a database URL opens PostgreSQL for postgresql:// and postgres://", "[postgres]") {
  pg_database pg;
  const std::string url = pg.url();
  REQUIRE(url.rfind("postgresql://", 0) == 0);
  {
    auto db = database::open({url, true});
    INFO((db ? "" : db.error().message));
    REQUIRE(db);
    CHECK((*db)->dialect() == sql::dialect::postgresql);
    REQUIRE((*db)->writer()->write(make_batch("asset-1", 1, 1)));
  }
  auto db = database::open({"postgres://" + url.substr(13), false});
  INFO((db ? "" : db.error().message));
  REQUIRE(db);
  CHECK((*db)->stores().history->history("asset-1", 10, std::nullopt)->total == 1);
  CHECK(pg.query_one("SELECT COUNT(*) FROM entries") == "1");
}
