// The PostgreSQL back-end where a shared server differs from one SQLite
// file: the schema matches SQLite's, many processes open and write one
// database at once, the server ends connections, and text is stricter.
#include <atomic>
#include <thread>

#include <catch2/catch.hpp>

#include "runtime/storage/migrations.hpp"
#include "tests/postgres/postgres_test_util.hpp"
#include "tests/support/storage_contract.hpp"
#include "tests/unit/storage_test_util.hpp"

using namespace qs::runtime::storage;
using qs::test::make_batch;
using qs::test::pg_database;
using qs::test::temp_folder;

namespace {

/// Ends every session on `db` but the caller's, as a server restart would.
void terminate_sessions(const pg_database& db) {
  db.execute("SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity"
             " WHERE datname = $1 AND pid <> pg_backend_pid()",
             {db.name()});
}

} // namespace

TEST_CASE("the schema has the version, tables and columns of SQLite's", "[postgres]") {
  pg_database pg;
  auto db = pg.open();
  temp_folder dir;
  const auto path = dir.file("qscan.db");
  auto lite = qs::test::open_at(path);
  CHECK(db->schema_version() == lite->schema_version());
  CHECK(pg.query_one("SELECT string_agg(version::text, ',' ORDER BY version)"
                     " FROM schema_migrations") ==
        qs::test::query_one(path,
                            "SELECT group_concat(version, ',')"
                            " FROM (SELECT version FROM schema_migrations ORDER BY version)"));
  const auto tables = qs::test::query_one(
      path, "SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_master"
            " WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name)");
  CHECK(pg.query_one("SELECT string_agg(table_name, ',' ORDER BY table_name)"
                     " FROM information_schema.tables WHERE table_schema = 'public'") == tables);
  for (const std::string table :
       {"entries", "assets", "answers", "training_examples", "models", "stored_requests"}) {
    INFO(table);
    CHECK(pg.query_one("SELECT string_agg(column_name, ',' ORDER BY ordinal_position)"
                       " FROM information_schema.columns"
                       " WHERE table_schema = 'public' AND table_name = $1",
                       {table}) ==
          qs::test::query_one(path, "SELECT group_concat(name, ',')"
                                    " FROM (SELECT name FROM pragma_table_info('" +
                                        table + "') ORDER BY cid)"));
  }
}

TEST_CASE("opening one database from many connections at once migrates it once", "[postgres]") {
  pg_database pg;
  constexpr int openers = 8;
  std::vector<std::shared_ptr<database>> opened(openers);
  std::vector<std::string> errors(openers);
  std::atomic<int> ready{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < openers; ++i)
    threads.emplace_back([&, i] {
      ++ready;
      while (ready < openers)
        std::this_thread::yield();
      auto db = database::open({pg.url(), true});
      if (db)
        opened[i] = *db;
      else
        errors[i] = db.error().message;
    });
  for (auto& t : threads)
    t.join();
  for (int i = 0; i < openers; ++i) {
    INFO("opener " << i << ": " << errors[i]);
    REQUIRE(opened[i]);
    CHECK(opened[i]->schema_version() == latest_schema_version());
  }
  CHECK(pg.query_one("SELECT COUNT(*) FROM schema_migrations") ==
        std::to_string(latest_schema_version()));
  for (int i = 1; i < openers; ++i)
    CHECK(opened[i]->id() == opened[0]->id()); // one identity, made once
  REQUIRE(opened[0]->writer()->write(make_batch("asset-1", 1, 2)));
  CHECK(opened[openers - 1]->stores().history->history("asset-1", 10, std::nullopt)->total == 2);
}

TEST_CASE("two processes writing the same requests store each once", "[postgres]") {
  pg_database pg;
  auto one = pg.open();
  auto two = pg.open(); // a second process: connections of its own
  std::atomic<int> failed{0};
  const auto write_all = [&](database& db) {
    auto writer = db.writer();
    for (int i = 0; i < 50; ++i) {
      auto batch = make_batch("shared", i * 2, 2);
      batch.request_id = "req-" + std::to_string(i);
      if (!writer->write(batch))
        ++failed;
    }
  };
  std::thread a([&] { write_all(*one); });
  std::thread b([&] { write_all(*two); });
  a.join();
  b.join();
  CHECK(failed == 0);
  CHECK(one->stores().history->history("shared", 10, std::nullopt)->total == 100);
  CHECK(pg.query_one("SELECT COUNT(*) FROM stored_requests") == "50");
}

TEST_CASE("a connection the server ended is re-established on the next call", "[postgres]") {
  pg_database pg;
  auto db = pg.open();
  auto writer = db->writer();
  auto stores = db->stores();
  REQUIRE(writer->write(make_batch("asset-1", 1, 1)));
  terminate_sessions(pg);
  auto written = writer->write(make_batch("asset-1", 2, 1));
  INFO((written ? "" : written.error().message));
  REQUIRE(written);
  terminate_sessions(pg);
  auto page = stores.history->history("asset-1", 10, std::nullopt);
  INFO((page ? "" : page.error().message));
  REQUIRE(page);
  CHECK(page->total == 2);
  terminate_sessions(pg);
  CHECK(stores.history->latest("asset-1")->has_value());
  CHECK(stores.answers->find_answer("none"));
  CHECK(stores.models->count_training());
}

TEST_CASE("text holding a NUL byte is refused with a clear sentence", "[postgres]") {
  pg_database pg;
  auto db = pg.open();
  auto writer = db->writer();
  auto batch = make_batch(std::string("asset\0one", 9), 1, 1);
  auto outcome = writer->write(batch);
  REQUIRE_FALSE(outcome);
  CHECK(outcome.error() == errc::invalid_argument);
  CHECK(outcome.error().message ==
        "parameter $1 holds a NUL byte, which PostgreSQL text cannot store");
  REQUIRE(writer->write(make_batch("asset-1", 2, 1)));
  CHECK(db->stores().history->history("asset-1", 10, std::nullopt)->total == 1);
}

TEST_CASE("a scan result holding a NUL byte is stored as on SQLite (records are bytes)",
          "[postgres]") {
  pg_database pg;
  auto db = pg.open();
  auto batch = make_batch("asset-1", 1, 1);
  batch.entries[0].scan_result = std::string("{\"a\":\"x\0y\"}", 11);
  REQUIRE(db->writer()->write(batch));
  auto page = db->stores().history->history("asset-1", 10, std::nullopt);
  REQUIRE(page);
  REQUIRE(page->entries.size() == 1);
  CHECK(page->entries[0].scan_result == batch.entries[0].scan_result);
}
