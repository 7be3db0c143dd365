// The SQLite back-end: the storage contract, and what belongs to the database file
// (migrations, WAL, identity, adopting a database written by an earlier build).
#include <catch2/catch.hpp>

#include "runtime/storage/migrations.hpp"
#include "runtime/storage/sql/sqlite.hpp"
#include "tests/support/storage_contract.hpp"
#include "tests/support/v6_database.hpp"
#include "tests/unit/storage_test_util.hpp"

using namespace qs::runtime::storage;
using qs::test::open_at;
using qs::test::query_one;
using qs::test::temp_folder;

TEST_CASE("SQLite stores keep the storage contract", "[storage]") {
  qs::test::check_storage_contract([] {
    auto dir = std::make_shared<temp_folder>();
    const auto path = dir->file("qscan.db");
    auto db = open_at(path);
    qs::test::storage_backend b;
    b.stores = db->stores();
    b.writer = db->writer();
    b.refuse_asset = [path](const std::string& asset) {
      qs::test::execute(path,
                        "CREATE TRIGGER refuse_" + asset +
                            " BEFORE INSERT ON entries WHEN NEW.asset = (SELECT id FROM assets"
                            " WHERE name = '" +
                            asset + "') BEGIN SELECT RAISE(ABORT, 'poisoned'); END");
    };
    b.owner = std::make_shared<std::pair<std::shared_ptr<temp_folder>, std::shared_ptr<database>>>(
        dir, db);
    return b;
  });
}

TEST_CASE("a new database is migrated once and keeps its version, id and data when reopened",
          "[storage]") {
  temp_folder dir;
  const auto path = dir.file("qscan.db");
  std::string id;
  {
    auto db = open_at(path);
    CHECK(db->schema_version() == latest_schema_version());
    CHECK(db->dialect() == sql::dialect::sqlite);
    id = db->id();
    CHECK(id.size() == 32);
    REQUIRE(db->writer()->write(qs::test::make_batch("asset-1", 1, 3)));
  }
  auto db = open_at(path);
  CHECK(db->schema_version() == latest_schema_version());
  CHECK(db->id() == id);
  CHECK(query_one(path, "SELECT COUNT(*) FROM schema_migrations") ==
        std::to_string(latest_schema_version()));
  CHECK(query_one(path, "SELECT applied_at FROM schema_migrations WHERE version = 1")->size() > 0);
  auto page = db->stores().history->history("asset-1", 10, std::nullopt);
  REQUIRE(page);
  CHECK(page->total == 3);
}

TEST_CASE("the database file is in WAL mode", "[storage]") {
  temp_folder dir;
  const auto path = dir.file("qscan.db");
  auto db = open_at(path);
  CHECK(query_one(path, "PRAGMA journal_mode") == "wal");
}

TEST_CASE("a database that cannot be opened is reported with its path", "[storage]") {
  auto opened = database::open({"/nonexistent-folder/qscan.db", true});
  REQUIRE_FALSE(opened);
  CHECK(opened.error() == errc::unavailable);
  CHECK(opened.error().message ==
        "cannot open /nonexistent-folder/qscan.db: unable to open database file");
}

TEST_CASE("a database URL of another scheme, or none, is refused naming the forms", "[storage]") {
  for (const std::string url : {"mysql://root@localhost/qscan", "", "sqlite:"}) {
    auto opened = database::open({url, true});
    REQUIRE_FALSE(opened);
    CHECK(opened.error() == errc::invalid_argument);
    CHECK_THAT(opened.error().message, Catch::Contains("sqlite:PATH"));
  }
}

TEST_CASE("a database from a newer build is refused", "[storage]") {
  temp_folder dir;
  const auto path = dir.file("qscan.db");
  open_at(path);
  qs::test::execute(path, "INSERT INTO schema_migrations VALUES (999, 'later')");
  auto opened = database::open({path, true});
  REQUIRE_FALSE(opened);
  CHECK(opened.error() == errc::schema_too_new);
  CHECK_THAT(opened.error().message, Catch::Contains("schema version 999 is newer"));
}

TEST_CASE("an in-memory database works for tests", "[storage]") {
  auto db = open_at(":memory:");
  REQUIRE(db->writer()->write(qs::test::make_batch("asset-1", 1, 2)));
  CHECK(db->stores().history->history("asset-1", 10, std::nullopt)->total == 2);
  CHECK(db->stores().history->latest("asset-1")->has_value());
}

TEST_CASE("a database belongs to the first cluster that claims it", "[storage][cluster]") {
  temp_folder dir;
  auto db = open_at(dir.file("qscan.db"));
  auto none = db->cluster_id();
  REQUIRE(none);
  CHECK_FALSE(none->has_value());
  REQUIRE(db->claim("qc-first"));
  REQUIRE(db->claim("qc-first")); // the owner again: fine
  auto refused = db->claim("qc-second");
  REQUIRE_FALSE(refused);
  CHECK(refused.error() == errc::foreign_cluster);
  CHECK_THAT(refused.error().message, Catch::Contains("qc-first") && Catch::Contains("qc-second"));
  CHECK(**db->cluster_id() == "qc-first");
}

TEST_CASE("a database written by the build before cluster ids is adopted: its data, "
          "its model bytes and an id of its own",
          "[storage]") {
  temp_folder dir;
  const auto path = dir.file("qscan.db");
  // The schema of versions 1-4 as that build made it, and a model it stored as hex text.
  const auto old = migrations(sql::dialect::sqlite);
  qs::test::execute(path, "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY,"
                          " applied_at TEXT NOT NULL)");
  for (int v = 1; v <= 4; ++v) {
    for (const auto& statement : old[static_cast<std::size_t>(v - 1)].statements)
      qs::test::execute(path, statement);
    qs::test::execute(path, "INSERT INTO schema_migrations VALUES (" + std::to_string(v) +
                                ", '2026-12-01T00:00:00')");
  }
  qs::test::execute(path, "INSERT INTO entries (asset_id, request_id, operation, scan_timestamp,"
                          " stored_at, scan_result, prediction, anomaly) VALUES ('web-1', 'r-1',"
                          " 'enhance', '2026-12-01T00:00:00', '2026-12-01T00:00:01', '{\"n\":1}',"
                          " '{}', '{}')");
  qs::test::execute(path, "INSERT INTO models (version, kind, created_at, metrics, blob) VALUES"
                          " ('xgb-old', 'threat_predictor', '2026-12-01', '{}', '1f8b00ff')");
  auto db = open_at(path);
  CHECK(db->schema_version() == latest_schema_version());
  CHECK(db->id().size() == 32);
  CHECK_FALSE(db->cluster_id()->has_value()); // the first cluster to claim it adopts it
  auto page = db->stores().history->history("web-1", 10, std::nullopt);
  REQUIRE(page);
  CHECK(page->total == 1);
  auto model = db->stores().models->latest_model("threat_predictor");
  REQUIRE(model);
  REQUIRE(model->has_value());
  CHECK((*model)->model == std::string("\x1f\x8b\x00\xff", 4));
}

TEST_CASE("a database written by the build of schema 6 is carried into the compact schema: "
          "history, pages, answers, scan jobs and examples read back the same",
          "[storage][migration]") {
  temp_folder dir;
  const auto path = dir.file("qscan.db");
  qs::test::v6_contents was;
  {
    auto c = sql::open_sqlite({path, true, false});
    REQUIRE(c);
    std::lock_guard lock((*c)->mutex);
    was = qs::test::write_v6_database(**c);
  }
  auto db = open_at(path);
  CHECK(db->schema_version() == latest_schema_version());
  qs::test::check_carried_forward(was, db->stores(), *db->writer());
  // The old tables are gone; reopening migrates nothing more.
  CHECK(query_one(path, "SELECT COUNT(*) FROM sqlite_master WHERE name IN"
                        " ('entries_v6', 'idempotent_answers', 'stored_requests_v6')") == "0");
  auto again = open_at(path);
  CHECK(again->stores().history->history("web-1", 100, std::nullopt)->total ==
        db->stores().history->history("web-1", 100, std::nullopt)->total);
}
