// The PostgreSQL back-end against a real server: the storage contract, and what
// belongs to the database (migrations, identity) as in tests/unit/sqlite_storage_test.cpp.
// postgres_shared_test.cpp has what only a shared server has.
#include <catch2/catch.hpp>

#include "runtime/storage/migrations.hpp"
#include "runtime/storage/sql/postgres.hpp"
#include "tests/postgres/postgres_test_util.hpp"
#include "tests/support/storage_contract.hpp"
#include "tests/support/v6_database.hpp"

using namespace qs::runtime::storage;
using qs::test::pg_database;

TEST_CASE("PostgreSQL stores keep the storage contract", "[postgres]") {
  qs::test::check_storage_contract([] {
    auto pg = std::make_shared<pg_database>();
    auto db = pg->open();
    qs::test::storage_backend b;
    b.stores = db->stores();
    b.writer = db->writer();
    b.refuse_asset = [pg](const std::string& asset) { pg->refuse_asset(asset); };
    // The database goes before the server-side copy is dropped.
    b.owner = std::make_shared<std::pair<std::shared_ptr<pg_database>, std::shared_ptr<database>>>(
        pg, db);
    return b;
  });
}

TEST_CASE("a new database is migrated once and keeps its version, id and data when reopened",
          "[postgres]") {
  pg_database pg;
  std::string id;
  {
    auto db = pg.open();
    CHECK(db->schema_version() == latest_schema_version());
    CHECK(db->dialect() == sql::dialect::postgresql);
    id = db->id();
    REQUIRE(db->writer()->write(qs::test::make_batch("asset-1", 1, 3)));
  }
  auto db = pg.open();
  CHECK(db->schema_version() == latest_schema_version());
  CHECK(db->id() == id);
  CHECK(pg.query_one("SELECT COUNT(*) FROM schema_migrations") ==
        std::to_string(latest_schema_version()));
  CHECK(pg.query_one("SELECT applied_at FROM schema_migrations WHERE version = 1")->size() > 0);
  auto page = db->stores().history->history("asset-1", 10, std::nullopt);
  REQUIRE(page);
  CHECK(page->total == 3);
}

TEST_CASE("a server that cannot be reached is reported with its address", "[postgres]") {
  auto opened = database::open({"postgresql://postgres@127.0.0.1:1/qscan", true});
  REQUIRE_FALSE(opened);
  CHECK(opened.error() == errc::unavailable);
  CHECK(opened.error().message ==
        "postgresql: cannot connect to host=127.0.0.1 port=1 dbname=qscan: connection refused");
}

TEST_CASE("a database from a newer build is refused", "[postgres]") {
  pg_database pg;
  pg.open();
  pg.execute("INSERT INTO schema_migrations VALUES (999, 'later')");
  auto opened = database::open({pg.url(), true});
  REQUIRE_FALSE(opened);
  CHECK(opened.error() == errc::schema_too_new);
  CHECK_THAT(opened.error().message, Catch::Contains("schema version 999 is newer"));
}

TEST_CASE("a database belongs to the first cluster that claims it, whichever process asks",
          "[postgres][cluster]") {
  pg_database pg;
  auto one = pg.open();
  auto two = pg.open(); // another persistence node's connections
  REQUIRE(one->claim("qc-first"));
  REQUIRE(two->claim("qc-first"));
  auto refused = two->claim("qc-second");
  REQUIRE_FALSE(refused);
  CHECK(refused.error() == errc::foreign_cluster);
  CHECK(**one->cluster_id() == "qc-first");
  CHECK(one->id() == two->id());
}

TEST_CASE("a database written by the build of schema 6 is carried into the compact schema: "
          "history, pages, answers, scan jobs and examples read back the same",
          "[postgres][migration]") {
  pg_database pg;
  qs::test::v6_contents was;
  {
    auto c = sql::open_postgres(pg.url(), false);
    REQUIRE(c);
    std::lock_guard lock((*c)->mutex);
    was = qs::test::write_v6_database(**c);
  }
  auto db = pg.open();
  CHECK(db->schema_version() == latest_schema_version());
  qs::test::check_carried_forward(was, db->stores(), *db->writer());
  CHECK(pg.query_one("SELECT COUNT(*) FROM information_schema.tables WHERE table_name IN"
                     " ('entries_v6', 'idempotent_answers', 'stored_requests_v6')") == "0");
}
