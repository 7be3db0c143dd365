#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "runtime/storage/group_committer.hpp"
#include "tests/support/storage_contract.hpp"
#include "tests/unit/storage_test_util.hpp"

using namespace qs::runtime::storage;
using qs::test::make_batch;
using qs::test::open_at;
using qs::test::temp_folder;

TEST_CASE("batches submitted from many threads are all committed in far fewer transactions",
          "[group_committer]") {
  temp_folder dir;
  auto db = open_at(dir.file("qscan.db"));
  constexpr int threads = 8;
  constexpr int per_thread = 200;
  std::atomic<int> succeeded{0};
  std::atomic<int> failed{0};
  std::uint64_t commits = 0;
  {
    group_committer committer(db->writer());
    std::vector<std::thread> submitters;
    for (int t = 0; t < threads; ++t)
      submitters.emplace_back([&, t] {
        for (int i = 0; i < per_thread; ++i)
          committer.submit(
              make_batch("asset-" + std::to_string(t), i * 2, 2),
              [&](const qs::expected<void>& stored) { ++(stored ? succeeded : failed); });
      });
    for (auto& s : submitters)
      s.join();
    committer.flush();
    CHECK(succeeded == threads * per_thread);
    CHECK(committer.queue_depth() == 0);
    commits = committer.commits();
  }
  CHECK(failed == 0);
  CHECK(commits >= 1);
  CHECK(commits < threads * per_thread / 4);
  for (int t = 0; t < threads; ++t)
    CHECK(db->stores().history->history("asset-" + std::to_string(t), 1, std::nullopt)->total ==
          per_thread * 2);
}

TEST_CASE("one bad batch in a group fails alone and the others are committed",
          "[group_committer]") {
  temp_folder dir;
  const auto path = dir.file("qscan.db");
  auto db = open_at(path);
  qs::test::execute(path, "CREATE TRIGGER refuse_poison BEFORE INSERT ON entries"
                          " WHEN NEW.asset = (SELECT id FROM assets WHERE name = 'poison')"
                          " BEGIN SELECT RAISE(ABORT, 'poisoned'); END");
  std::mutex mutex;
  std::vector<std::string> outcomes(5, "not called");
  {
    // Hold the writer so all five batches land in one group.
    std::unique_lock hold_writer(mutex);
    group_committer committer(db->writer());
    committer.submit(make_batch("asset-1", 0, 1),
                     [&](const qs::expected<void>&) { std::lock_guard wait_for_submits(mutex); });
    for (int i = 1; i < 5; ++i)
      committer.submit(make_batch(i == 3 ? "poison" : "asset-1", i, 1),
                       [&, i](const qs::expected<void>& stored) {
                         outcomes[i] = stored ? "" : stored.error().message;
                       });
    hold_writer.unlock();
    committer.flush();
  }
  CHECK(outcomes[1].empty());
  CHECK(outcomes[2].empty());
  CHECK_THAT(outcomes[3], Catch::Contains("poisoned"));
  CHECK(outcomes[4].empty());
  CHECK(db->stores().history->history("asset-1", 10, std::nullopt)->total == 4);
}

TEST_CASE("flush waits until earlier batches are readable", "[group_committer]") {
  temp_folder dir;
  auto db = open_at(dir.file("qscan.db"));
  group_committer committer(db->writer(), 4);
  for (int i = 0; i < 50; ++i)
    committer.submit(make_batch("asset-1", i, 1), nullptr);
  committer.flush();
  CHECK(db->stores().history->history("asset-1", 1, std::nullopt)->total == 50);
  CHECK(committer.commits() >= 50 / 4);
}

TEST_CASE("destroying the committer commits what is still queued", "[group_committer]") {
  temp_folder dir;
  const auto path = dir.file("qscan.db");
  std::atomic<int> succeeded{0};
  {
    auto db = open_at(path);
    group_committer committer(db->writer());
    for (int i = 0; i < 100; ++i)
      committer.submit(make_batch("asset-1", i, 1),
                       [&](const qs::expected<void>& stored) { succeeded += stored ? 1 : 0; });
  }
  CHECK(succeeded == 100);
  auto reopened = open_at(path);
  CHECK(reopened->stores().history->history("asset-1", 1, std::nullopt)->total == 100);
}
