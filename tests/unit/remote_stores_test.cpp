// The remote stores: every call made to a persistence node's stores through a
// transport. Here the transport runs the request on another thread against an
// SQLite database; the cluster tests run the real one (node link, coordinator,
// persistence node).
#include <catch2/catch.hpp>

#include "runtime/storage/executor.hpp"
#include "runtime/storage/remote_stores.hpp"
#include "tests/support/storage_contract.hpp"
#include "tests/unit/storage_test_util.hpp"

using namespace qs::runtime::storage;
using qs::test::open_at;
using qs::test::temp_folder;

namespace {

/// A persistence node in this process: answers on a thread of its own.
struct loopback_node {
  std::shared_ptr<database> db;
  stores local;
  executor threads{2, 1024};

  storage_transport transport() {
    return [this](storage_request request, std::chrono::steady_clock::time_point,
                  std::function<void(qs::expected<storage_answer>)> done) {
      threads.post([this, request = std::move(request), done = std::move(done)] {
        done(serve(local, request));
      });
    };
  }
};

} // namespace

TEST_CASE("remote stores keep the storage contract", "[storage][remote]") {
  qs::test::check_storage_contract([] {
    auto dir = std::make_shared<temp_folder>();
    const auto path = dir->file("qscan.db");
    auto node = std::make_shared<loopback_node>();
    node->db = open_at(path);
    node->local = node->db->stores();
    qs::test::storage_backend b;
    b.stores = remote_stores(node->transport(), std::chrono::seconds(10));
    b.writer = node->db->writer(); // writes reach a persistence node as tasks, not store calls
    b.refuse_asset = [path](const std::string& asset) {
      qs::test::execute(path,
                        "CREATE TRIGGER refuse_" + asset +
                            " BEFORE INSERT ON entries WHEN NEW.asset = (SELECT id FROM assets"
                            " WHERE name = '" +
                            asset + "') BEGIN SELECT RAISE(ABORT, 'poisoned'); END");
    };
    b.owner =
        std::make_shared<std::pair<std::shared_ptr<temp_folder>, std::shared_ptr<loopback_node>>>(
            dir, node);
    return b;
  });
}

TEST_CASE("a remote store that hears nothing fails with timeout at its deadline",
          "[storage][remote]") {
  auto lost = [](storage_request, std::chrono::steady_clock::time_point,
                 std::function<void(qs::expected<storage_answer>)>) {};
  auto s = remote_stores(lost, std::chrono::milliseconds(50));
  const auto started = std::chrono::steady_clock::now();
  auto page = s.history->history("asset-1", 10, std::nullopt);
  REQUIRE_FALSE(page);
  CHECK(page.error() == errc::timeout);
  CHECK_THAT(page.error().message, Catch::Contains("history"));
  CHECK(std::chrono::steady_clock::now() - started >= std::chrono::milliseconds(50));
}

TEST_CASE("a persistence node's error reaches the caller with its code", "[storage][remote]") {
  auto refusing = [](storage_request, std::chrono::steady_clock::time_point,
                     std::function<void(qs::expected<storage_answer>)> done) {
    done(qs::error(errc::unavailable, "no live persistence node"));
  };
  auto s = remote_stores(refusing, std::chrono::seconds(5));
  auto found = s.answers->find_answer("k");
  REQUIRE_FALSE(found);
  CHECK(found.error() == errc::unavailable);
  CHECK(found.error().message == "no live persistence node");
  auto wrong_kind = [](storage_request, std::chrono::steady_clock::time_point,
                       std::function<void(qs::expected<storage_answer>)> done) {
    done(storage_answer(training_counts{}));
  };
  auto confused = remote_stores(wrong_kind, std::chrono::seconds(5));
  auto page = confused.history->history("a", 1, std::nullopt);
  REQUIRE_FALSE(page);
  CHECK(page.error() == errc::corrupt);
}
