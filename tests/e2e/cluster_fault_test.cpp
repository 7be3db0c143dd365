// Faults in a real cluster of `qscan node` processes on loopback: a worker SIGKILLed
// under load, a worker SIGSTOPped and resumed, a worker added under load, the
// coordinator killed and restarted, and answers lost, late and repeated on the wire.
// Every acknowledged request is stored exactly once.
#include <catch2/catch.hpp>

#include <csignal>
#include <thread>

#include <boost/json.hpp>

#include "tests/support/http_client.hpp"
#include "tests/support/qscan_cluster.hpp"
#include "tests/support/qscan_server.hpp"
#include "tests/support/wait.hpp"

using namespace qs::test;
using namespace std::chrono_literals;

namespace {

// Every asset answered is stored exactly once.
void check_stored_once(std::uint16_t port, const std::vector<std::string>& assets) {
  int wrong = 0;
  for (const auto& asset : assets)
    if (stored_total(port, asset) != 1) {
      UNSCOPED_INFO(asset << " stored " << stored_total(port, asset) << " times");
      ++wrong;
    }
  CHECK(wrong == 0);
}

} // namespace

TEST_CASE("a worker SIGKILLed under load costs retries, not answers: every request is answered, "
          "at most 1% degraded, each stored once",
          "[cluster][faults]") {
  qscan_cluster cluster;
  std::atomic<int> sent{0};
  load_outcome outcome;
  std::thread load([&] { outcome = run_load(cluster.bridge_port(), 2000, 4, "k-", &sent); });
  REQUIRE(wait_until([&] { return sent.load() >= 300; }, 120s));
  cluster.worker("worker-2").signal(SIGKILL);
  load.join();
  CHECK(outcome.answered == 2000);
  CHECK(outcome.failed == 0);
  CHECK(outcome.degraded <= 20);
  WARN("degraded answers after the kill: " << outcome.degraded << " of 2000");
  REQUIRE(wait_until(
      [&] { return cluster_node(cluster.bridge_port(), "worker-2")["state"] == "dead"; }, 10s));
  check_stored_once(cluster.bridge_port(), outcome.assets);
}

TEST_CASE("a SIGSTOPped worker is declared dead, and rejoins cleanly after SIGCONT",
          "[cluster][faults]") {
  cluster_options options;
  options.coordinator_roles = "coordinator,persistence"; // batches written by the coordinator
  options.persistence_workers = 0;                       // the only SQLite persistence node
  qscan_cluster cluster(options);
  auto& worker = cluster.worker("worker-2");
  worker.signal(SIGSTOP);
  const auto stopped = std::chrono::steady_clock::now();
  REQUIRE(wait_until(
      [&] { return cluster_node(cluster.bridge_port(), "worker-2")["state"] == "dead"; }, 15s));
  WARN("declared dead after " << std::chrono::duration_cast<std::chrono::milliseconds>(
                                     std::chrono::steady_clock::now() - stopped)
                                     .count()
                              << " ms (heartbeat 1000 ms, 3 missed)");
  // Meanwhile the cluster still answers, without degrading.
  auto during = run_load(cluster.bridge_port(), 50, 2, "s-");
  CHECK(during.answered == 50);
  CHECK(during.degraded == 0);
  worker.signal(SIGCONT);
  REQUIRE(wait_until(
      [&] { return cluster_node(cluster.bridge_port(), "worker-2")["state"] == "up"; }, 15s));
  const auto node = cluster_node(cluster.bridge_port(), "worker-2");
  CHECK(node.at("restarts").as_int64() >= 1);
  auto after = run_load(cluster.bridge_port(), 100, 2, "c-");
  CHECK(after.answered == 100);
  CHECK(after.degraded == 0);
  check_stored_once(cluster.bridge_port(), after.assets);
  check_stored_once(cluster.bridge_port(), during.assets);
}

TEST_CASE("a worker started during load receives tasks", "[cluster][faults]") {
  qscan_cluster cluster(with_workers(1));
  std::atomic<int> sent{0};
  load_outcome outcome;
  std::thread load([&] { outcome = run_load(cluster.bridge_port(), 1500, 2, "n-", &sent); });
  REQUIRE(wait_until([&] { return sent.load() >= 100; }, 60s));
  const auto started = std::chrono::steady_clock::now();
  cluster.start_worker("worker-new");
  const bool got_tasks = wait_until(
      [&] {
        auto node = cluster_node(cluster.bridge_port(), "worker-new");
        return !node.empty() && node.at("tasks_done").as_int64() > 0;
      },
      30s);
  const auto waited = std::chrono::steady_clock::now() - started;
  load.join();
  CHECK(got_tasks);
  WARN("the new worker had done tasks "
       << std::chrono::duration_cast<std::chrono::milliseconds>(waited).count()
       << " ms after it was started");
  CHECK(outcome.answered == 1500);
  CHECK(outcome.degraded == 0);
}

TEST_CASE("with the coordinator killed the bridge answers degraded; once it is back the spool "
          "drains and every acknowledged request is stored once",
          "[cluster][faults]") {
  qscan_cluster cluster;
  auto before = run_load(cluster.bridge_port(), 20, 2, "b-");
  REQUIRE(before.answered == 20);
  cluster.kill_coordinator();
  http_client client(cluster.bridge_port());
  std::vector<std::string> spooled;
  for (int i = 0; i < 20; ++i) {
    const std::string asset = "d-" + std::to_string(i);
    auto reply = client.request("POST", "/ai-threat-predictor/predict",
                                R"({"scan_results":[{"asset_id":")" + asset + R"("}]})",
                                {{"Content-Type", "application/json"}});
    REQUIRE(reply.status == 200);
    CHECK(reply.json().at("degraded") == true);
    CHECK(reply.headers["x-qscan-degraded"] == "true");
    CHECK(reply.json().at("degraded_reasons").as_array().size() >= 1);
    spooled.push_back(asset);
  }
  // Scorpius keeps calling: the plain health route still says healthy.
  auto health = client.request("GET", "/ai-threat-predictor/health");
  CHECK(health.status == 200);
  CHECK(health.json().at("status") == "healthy");
  auto full = client.request("GET", "/v1/health").json();
  CHECK(full.at("status") == "degraded");
  CHECK(full.at("roles").at("coordinator").at("state") == "down");

  cluster.restart_coordinator();
  // The spool drains into the cluster's database.
  REQUIRE(wait_until(
      [&] {
        for (const auto& asset : spooled)
          if (stored_total(cluster.bridge_port(), asset) != 1)
            return false;
        return true;
      },
      60s));
  check_stored_once(cluster.bridge_port(), spooled);
  check_stored_once(cluster.bridge_port(), before.assets);
  // And the cluster answers normally again.
  REQUIRE(wait_until(
      [&] {
        auto reply =
            client.request("POST", "/ai-threat-predictor/predict", scan_results_body(1, "z-"),
                           {{"Content-Type", "application/json"}});
        return reply.status == 200 && reply.json().at("degraded") == false;
      },
      30s));
}

TEST_CASE("answers lost, late and repeated on the wire change no stored result",
          "[cluster][faults]") {
  cluster_options options;
  options.worker_flags = {"--drop-answers",     "0.1", "--duplicate-answers", "0.2",
                          "--delay-answers-ms", "50"};
  qscan_cluster cluster(options);
  qscan_server serve;
  auto outcome = run_load(cluster.bridge_port(), 300, 4, "f-");
  CHECK(outcome.answered == 300);
  CHECK(outcome.failed == 0);
  check_stored_once(cluster.bridge_port(), outcome.assets);
  // What was stored is what the one-process server computes for the same scan.
  http_client alone(serve.port());
  http_client many(cluster.bridge_port());
  for (int i = 0; i < 300; i += 37) {
    const std::string asset = "f-" + std::to_string(i);
    auto stored = many.request("GET", "/v1/assets/" + asset).json();
    auto expected = alone
                        .request("POST", "/ai-threat-predictor/predict",
                                 R"({"scan_results":[{"asset_id":")" + asset +
                                     R"(","vulnerabilities":[{"type":"weak_crypto",)"
                                     R"("severity":"high","algorithm":"RSA-1024"}]}]})",
                                 {{"Content-Type", "application/json"}})
                        .json();
    INFO(asset);
    CHECK(stored.at("latest").at("prediction").at("threat_score") ==
          expected.at("predictions").at(0).at("threat_score"));
  }
  auto view = many.request("GET", "/v1/cluster").json();
  CHECK(view.at("dead_letters").as_array().empty());
}

TEST_CASE("a worker sent SIGTERM under load drains: it finishes its tasks, says BYE and exits 0",
          "[cluster][faults]") {
  qscan_cluster cluster;
  std::atomic<int> sent{0};
  load_outcome outcome;
  std::thread load([&] { outcome = run_load(cluster.bridge_port(), 1000, 4, "t-", &sent); });
  REQUIRE(wait_until([&] { return sent.load() >= 200; }, 120s));
  cluster.worker("worker-2").signal(SIGTERM);
  const int code = cluster.worker("worker-2").wait(30s);
  load.join();
  CHECK(code == 0);
  CHECK(cluster.worker("worker-2").stderr_tail().find("draining") != std::string::npos);
  CHECK(outcome.answered == 1000);
  CHECK(outcome.degraded == 0);
  const auto node = cluster_node(cluster.bridge_port(), "worker-2");
  CHECK((node.at("state") == "draining" || node.at("state") == "dead"));
  check_stored_once(cluster.bridge_port(), outcome.assets);
}

TEST_CASE("a role past its restart budget on a worker is reported down there, and its work goes "
          "to the other worker",
          "[cluster][faults]") {
  qscan_cluster cluster(with_workers(1));
  cluster.start_worker("fragile",
                       {"--fault-injection", "--max-restarts", "0", "--predictor-workers", "1"});
  http_client client(cluster.bridge_port());
  const std::string poison =
      R"({"scan_results":[{"asset_id":"poison","metadata":{"qscan_fault":"crash-predictor"}}]})";
  const bool down = wait_until(
      [&] {
        auto reply = client.request("POST", "/ai-threat-predictor/predict", poison,
                                    {{"Content-Type", "application/json"}});
        if (reply.status != 200)
          return false;
        const auto node = cluster_node(cluster.bridge_port(), "fragile");
        if (node.empty())
          return false;
        for (const auto& role : node.at("roles_down").as_array())
          if (role == "predictor")
            return true;
        return false;
      },
      60s);
  REQUIRE(down);
  auto after = run_load(cluster.bridge_port(), 100, 2, "r-");
  CHECK(after.answered == 100);
  CHECK(after.degraded == 0);
  CHECK(cluster.worker("fragile").running());
}
