// A cluster whose workers share a PostgreSQL database, as on many machines: two
// persistence nodes write it, the bridge reads it; a worker SIGKILLed under load
// loses nothing and doubles nothing.
#include <catch2/catch.hpp>

#include <csignal>
#include <thread>

#include "tests/postgres/postgres_test_util.hpp"
#include "tests/support/qscan_cluster.hpp"
#include "tests/support/wait.hpp"

using namespace qs::test;
using namespace std::chrono_literals;

TEST_CASE("a cluster on PostgreSQL stores every acknowledged request once, through a worker's "
          "death",
          "[postgres][cluster]") {
  pg_database db;
  cluster_options options;
  options.database = db.url();
  options.persistence_workers = 2; // two persistence nodes over one database
  qscan_cluster cluster(options);
  std::atomic<int> sent{0};
  load_outcome outcome;
  std::thread load([&] { outcome = run_load(cluster.bridge_port(), 600, 4, "pg-", &sent); });
  REQUIRE(wait_until([&] { return sent.load() >= 150; }, 120s));
  cluster.worker("worker-1").signal(SIGKILL);
  load.join();
  CHECK(outcome.answered == 600);
  CHECK(outcome.failed == 0);
  CHECK(outcome.degraded <= 6);
  // Every answer is one row in PostgreSQL, seen through the bridge and directly.
  CHECK(db.query_one("SELECT COUNT(*) FROM entries") == std::optional<std::string>("600"));
  CHECK(db.query_one("SELECT COUNT(DISTINCT asset) FROM entries") ==
        std::optional<std::string>("600"));
  for (int i = 0; i < 600; i += 97)
    CHECK(stored_total(cluster.bridge_port(), "pg-" + std::to_string(i)) == 1);
}
