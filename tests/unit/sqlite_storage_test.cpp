#include <atomic>
#include <thread>

#include <catch2/catch.hpp>

#include "runtime/storage/migrations.hpp"
#include "runtime/storage/storage.hpp"
#include "tests/support/models_check.hpp"
#include "tests/support/scan_jobs_check.hpp"
#include "tests/unit/storage_test_util.hpp"

using namespace qs::runtime::storage;
using qs::test::make_batch;
using qs::test::make_entry;
using qs::test::open_at;
using qs::test::query_one;
using qs::test::temp_folder;

namespace {

write_batch batch_with_key(const std::string& key, const std::string& asset, int first) {
  auto batch = make_batch(asset, first, 2);
  batch.answer = idempotent_answer{key, "/predict", 200, "{\"ok\":true}", "fp-" + key};
  return batch;
}

} // namespace

TEST_CASE("a new database is migrated once and keeps its version and data when reopened",
          "[storage]") {
  temp_folder dir;
  const auto path = dir.file("qscan.db");
  {
    auto db = open_at(path);
    CHECK(db->schema_version() == latest_schema_version());
    REQUIRE(db->write(make_batch("asset-1", 1, 3)));
  }
  auto db = open_at(path);
  CHECK(db->schema_version() == latest_schema_version());
  CHECK(query_one(path, "SELECT COUNT(*) FROM schema_migrations") ==
        std::to_string(latest_schema_version()));
  CHECK(query_one(path, "SELECT applied_at FROM schema_migrations WHERE version = 1")->size() > 0);
  auto page = db->history("asset-1", 10, std::nullopt);
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
  auto opened = open_sqlite(sqlite_options{"/nonexistent-folder/qscan.db"});
  REQUIRE_FALSE(opened);
  CHECK(opened.error() == "cannot open /nonexistent-folder/qscan.db: unable to open database file");
}

TEST_CASE("a database from a newer build is refused", "[storage]") {
  temp_folder dir;
  const auto path = dir.file("qscan.db");
  open_at(path);
  qs::test::execute(path, "INSERT INTO schema_migrations VALUES (999, 'later')");
  auto opened = open_sqlite(sqlite_options{path});
  REQUIRE_FALSE(opened);
  CHECK_THAT(opened.error(), Catch::Contains("schema version 999 is newer"));
}

TEST_CASE("history pages run newest first and the cursor leads to the end", "[storage]") {
  temp_folder dir;
  auto db = open_at(dir.file("qscan.db"));
  REQUIRE(db->write(make_batch("asset-1", 1, 5)));
  REQUIRE(db->write(make_batch("other", 100, 2)));
  REQUIRE(db->write(make_batch("asset-1", 6, 2)));

  std::vector<std::string> seen;
  std::optional<std::string> cursor;
  int pages = 0;
  do {
    auto page = db->history("asset-1", 3, cursor);
    REQUIRE(page);
    CHECK(page->total == 7);
    for (const auto& e : page->entries) {
      CHECK(e.asset_id == "asset-1");
      seen.push_back(e.scan_result);
    }
    cursor = page->next;
    ++pages;
  } while (cursor && pages < 10);

  CHECK(pages == 3);
  REQUIRE(seen.size() == 7);
  CHECK(seen.front() == "{\"n\":7}");
  CHECK(seen.back() == "{\"n\":1}");
}

TEST_CASE("a page that reaches the last entry has no next cursor", "[storage]") {
  temp_folder dir;
  auto db = open_at(dir.file("qscan.db"));
  REQUIRE(db->write(make_batch("asset-1", 1, 3)));
  auto page = db->history("asset-1", 3, std::nullopt);
  REQUIRE(page);
  CHECK(page->entries.size() == 3);
  CHECK_FALSE(page->next);
  auto empty = db->history("nobody", 3, std::nullopt);
  REQUIRE(empty);
  CHECK(empty->entries.empty());
  CHECK(empty->total == 0);
  CHECK_FALSE(empty->next);
}

TEST_CASE("stored entries read back with every field", "[storage]") {
  temp_folder dir;
  auto db = open_at(dir.file("qscan.db"));
  auto batch = make_batch("asset-1", 1, 1);
  batch.entries[0].anomaly = "";
  REQUIRE(db->write(batch));
  auto page = db->history("asset-1", 1, std::nullopt);
  REQUIRE(page);
  REQUIRE(page->entries.size() == 1);
  const auto& stored = page->entries[0];
  const auto& sent = batch.entries[0];
  CHECK(stored.id > 0);
  CHECK(stored.request_id == sent.request_id);
  CHECK(stored.operation == sent.operation);
  CHECK(stored.scan_timestamp == sent.scan_timestamp);
  CHECK(stored.stored_at == sent.stored_at);
  CHECK(stored.prediction == sent.prediction);
  CHECK(stored.anomaly.empty());
}

TEST_CASE("a cursor that storage did not hand out is refused", "[storage]") {
  temp_folder dir;
  auto db = open_at(dir.file("qscan.db"));
  for (const std::string bad : {"", "abc", "-5", "0", "12x", "99999999999999999999999"}) {
    auto page = db->history("asset-1", 10, bad);
    REQUIRE_FALSE(page);
    CHECK(page.error() == "invalid cursor");
  }
}

TEST_CASE("a batch whose idempotency key is already stored is skipped whole", "[storage]") {
  temp_folder dir;
  auto db = open_at(dir.file("qscan.db"));
  REQUIRE(db->write(batch_with_key("key-1", "asset-1", 1)));
  REQUIRE(db->write(batch_with_key("key-1", "asset-1", 10))); // not an error

  auto page = db->history("asset-1", 100, std::nullopt);
  REQUIRE(page);
  CHECK(page->total == 2);
  REQUIRE(page->entries.size() == 2);
  CHECK(page->entries[0].scan_result == "{\"n\":2}");
  CHECK(page->entries[1].scan_result == "{\"n\":1}");

  auto answer = db->find_answer("key-1");
  REQUIRE(answer);
  REQUIRE(answer->has_value());
  CHECK((*answer)->route == "/predict");
  CHECK((*answer)->status == 200);
  CHECK((*answer)->body == "{\"ok\":true}");
  CHECK((*answer)->fingerprint == "fp-key-1");
  auto missing = db->find_answer("never-used");
  REQUIRE(missing);
  CHECK_FALSE(missing->has_value());
}

TEST_CASE("two batches with one idempotency key in one group store the first only", "[storage]") {
  temp_folder dir;
  auto db = open_at(dir.file("qscan.db"));
  auto first = batch_with_key("key-2", "asset-1", 20);
  auto second = batch_with_key("key-2", "asset-1", 30);
  REQUIRE(db->write_many({&first, &second}));
  auto page = db->history("asset-1", 100, std::nullopt);
  REQUIRE(page);
  REQUIRE(page->entries.size() == 2);
  CHECK(page->entries[0].scan_result == "{\"n\":21}");
  CHECK(page->entries[1].scan_result == "{\"n\":20}");
}

TEST_CASE("latest returns the newest entry of an asset", "[storage]") {
  temp_folder dir;
  auto db = open_at(dir.file("qscan.db"));
  auto none = db->latest("asset-1");
  REQUIRE(none);
  CHECK_FALSE(none->has_value());
  REQUIRE(db->write(make_batch("asset-1", 1, 3)));
  REQUIRE(db->write(make_batch("asset-2", 50, 1)));
  auto latest = db->latest("asset-1");
  REQUIRE(latest);
  REQUIRE(latest->has_value());
  CHECK((*latest)->scan_result == "{\"n\":3}");
}

TEST_CASE("training examples are counted with their labels", "[storage]") {
  temp_folder dir;
  auto db = open_at(dir.file("qscan.db"));
  write_batch batch;
  for (std::optional<bool> label : {std::optional<bool>(true), std::optional<bool>(true),
                                    std::optional<bool>(false), std::optional<bool>()})
    batch.examples.push_back(training_example{"asset-1", "{}", label, ""});
  REQUIRE(db->write(batch));
  auto counts = db->count_training();
  REQUIRE(counts);
  CHECK(counts->examples == 4);
  CHECK(counts->labelled == 3);
  CHECK(counts->positives == 2);
}

TEST_CASE("a failed group stores none of its batches", "[storage]") {
  temp_folder dir;
  const auto path = dir.file("qscan.db");
  auto db = open_at(path);
  qs::test::execute(path,
                    "CREATE TRIGGER refuse_poison BEFORE INSERT ON entries"
                    " WHEN NEW.asset_id = 'poison' BEGIN SELECT RAISE(ABORT, 'poisoned'); END");
  auto good = make_batch("asset-1", 1, 2);
  auto bad = make_batch("poison", 3, 1);
  auto outcome = db->write_many({&good, &bad});
  REQUIRE_FALSE(outcome);
  CHECK(outcome.error() == "write failed: poisoned");
  CHECK(db->history("asset-1", 10, std::nullopt)->total == 0);
  REQUIRE(db->write(good)); // the connection is usable again
  CHECK(db->history("asset-1", 10, std::nullopt)->total == 2);
}

TEST_CASE("a reader sees consistent pages while a writer commits", "[storage]") {
  temp_folder dir;
  auto db = open_at(dir.file("qscan.db"));
  std::atomic<bool> writing{true};
  std::atomic<int> failed_writes{0};
  std::thread writer([&] {
    for (int i = 0; i < 200; ++i)
      if (!db->write(make_batch("asset-1", i * 5, 5)))
        ++failed_writes;
    writing = false;
  });
  std::int64_t last_total = 0;
  int reads = 0;
  while (writing || reads == 0) {
    auto page = db->history("asset-1", 10, std::nullopt);
    REQUIRE(page);
    CHECK(page->total >= last_total);
    CHECK(page->total % 5 == 0); // never half a batch
    CHECK(page->entries.size() ==
          static_cast<std::size_t>(std::min<std::int64_t>(10, page->total)));
    last_total = page->total;
    ++reads;
  }
  writer.join();
  CHECK(failed_writes == 0);
  CHECK(db->history("asset-1", 10, std::nullopt)->total == 1000);
  CHECK(reads > 0);
}

TEST_CASE("an in-memory database works for tests", "[storage]") {
  auto db = open_at(":memory:");
  REQUIRE(db->write(make_batch("asset-1", 1, 2)));
  CHECK(db->history("asset-1", 10, std::nullopt)->total == 2);
  CHECK(db->latest("asset-1")->has_value());
}

TEST_CASE("a batch whose request id is already stored is skipped, so a request counts once",
          "[storage]") {
  temp_folder dir;
  auto db = open_at(dir.file("qscan.db"));
  auto first = make_batch("dup-asset", 1, 2);
  first.request_id = "req-1";
  auto again = make_batch("dup-asset", 10, 2);
  again.request_id = "req-1";
  auto other = make_batch("dup-asset", 20, 1);
  other.request_id = "req-2";
  REQUIRE(db->write(first));
  REQUIRE(db->write_many({&again, &other}));
  auto page = db->history("dup-asset", 10, std::nullopt);
  REQUIRE(page);
  CHECK(page->total == 3);
}

TEST_CASE("scan jobs are created once, their results stored once and counted by target",
          "[storage][scan]") {
  temp_folder dir;
  auto db = open_at(dir.file("qscan.db"));
  qs::test::check_scan_jobs(*db);
}

TEST_CASE("model versions are stored once with their bytes and metrics; labelled examples read "
          "back in order",
          "[storage]") {
  temp_folder dir;
  auto db = open_at(dir.file("qscan.db"));
  qs::test::check_models_and_examples(*db);
}
