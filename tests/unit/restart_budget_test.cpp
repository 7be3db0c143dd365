#include <catch2/catch.hpp>

#include "actors/anomaly/anomaly_shard.hpp"
#include "actors/supervision/restart_budget.hpp"

using namespace qs::actors;

TEST_CASE("a restart budget allows N restarts in its window and recovers after it",
          "[supervision]") {
  restart_budget budget(2, std::chrono::seconds(10));
  auto t = restart_budget::clock::now();
  CHECK(budget.try_spend(t));
  CHECK(budget.try_spend(t + std::chrono::seconds(1)));
  CHECK(!budget.try_spend(t + std::chrono::seconds(2)));
  CHECK(budget.try_spend(t + std::chrono::seconds(11) + std::chrono::milliseconds(1)));
}

TEST_CASE("an asset always hashes to the same shard", "[anomaly]") {
  CHECK(shard_of("api-gateway-01", 4) == shard_of("api-gateway-01", 4));
  CHECK(shard_of("x", 1) == 0);
  std::vector<int> used(4);
  for (int i = 0; i < 400; ++i)
    ++used[shard_of("asset-" + std::to_string(i), 4)];
  for (int n : used)
    CHECK(n > 50); // spread, not piled on one shard
}
