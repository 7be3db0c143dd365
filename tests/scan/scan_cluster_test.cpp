// Scan jobs in a real cluster: the coordinator splits a job into tasks across two
// scanner nodes, one of them is SIGKILLed mid-job and its tasks go to the other, and
// every target is answered once; targets outside the coordinator's --scan-allow are
// refused through the bridge.
#include <catch2/catch.hpp>

#include <csignal>
#include <set>

#include "tests/scan/lab.hpp"
#include "tests/scan/scan_api.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/qscan_cluster.hpp"
#include "tests/support/wait.hpp"

using namespace qs::test;
namespace json = boost::json;

TEST_CASE("a scan job split across two scanner nodes, one SIGKILLed mid-job: every target "
          "answered once",
          "[scan][cluster][fault]") {
  cluster_options options;
  options.workers = 1;
  options.coordinator_flags = {"--scan-chunk", "1"};
  qscan_cluster cluster(options);
  cluster.start_worker("scanner-a", {"--scan-workers", "2"}, true, true, "scanner");
  cluster.start_worker("scanner-b", {"--scan-workers", "2"}, true, true, "scanner");

  silent_port slow_1, slow_2, slow_3;
  std::vector<std::string> targets = {slow_1.target(), slow_2.target(), slow_3.target()};
  for (const auto& [name, url] : lab_targets())
    if (url.rfind("tls://", 0) == 0)
      targets.push_back(url);
  http_client client(cluster.bridge_port());
  auto outside =
      client.request("POST", "/v1/scans", targets_body({"tls://10.9.9.9:443"}), json_type);
  CHECK(outside.status == 403);
  auto accepted = client.request(
      "POST", "/v1/scans", targets_body(targets, R"(,"options":{"timeout_ms":3000})"), json_type);
  INFO(accepted.body);
  REQUIRE(accepted.status == 202);
  const auto id = std::string(accepted.json().at("id").as_string());

  // The first answers are in, and each scanner holds a silent target's task: kill one.
  REQUIRE(wait_until(
      [&] {
        auto r = client.request("GET", "/v1/scans/" + id + "?limit=1");
        return r.status == 200 && r.json().at("progress").at("done").as_int64() >= 2;
      },
      std::chrono::seconds(60)));
  REQUIRE(wait_until(
      [&] {
        auto a = cluster_node(cluster.bridge_port(), "scanner-a");
        return !a.empty() && a.at("tasks_in_flight").as_int64() >= 1;
      },
      std::chrono::seconds(30)));
  cluster.worker("scanner-a").signal(SIGKILL);
  cluster.worker("scanner-a").wait(std::chrono::seconds(10));

  auto job = wait_for_job(client, id);
  CHECK(job.at("status") == "done");
  CHECK(job.at("progress").at("done") == targets.size());
  const auto results = all_results(client, id, 7);
  REQUIRE(results.size() == targets.size());
  std::multiset<std::string> seen;
  for (const auto& r : results) {
    seen.insert(std::string(r.at("target").as_string()));
    if (!r.at("error").is_null())
      CHECK(r.at("error").as_string().find("not scanned") == std::string::npos);
  }
  CHECK(seen == std::multiset<std::string>(targets.begin(), targets.end()));
  const auto& pq = result_for(results, lab_targets().at("bun-pq"));
  CHECK(strings(pq.at("tls").at("groups")).front() == "X25519MLKEM768");
  CHECK(pq.at("analysis").at("threat").at("threat_score").as_double() > 0);
  CHECK(result_for(results, slow_1.target()).at("error").as_string().find("timed out") !=
        std::string::npos);

  // The survivor did the rest; the dead one is seen dead.
  const auto b = cluster_node(cluster.bridge_port(), "scanner-b");
  REQUIRE(!b.empty());
  CHECK(b.at("tasks_done").as_int64() > 0);
  CHECK(wait_until(
      [&] { return cluster_node(cluster.bridge_port(), "scanner-a")["state"] == "dead"; },
      std::chrono::seconds(30)));
}
