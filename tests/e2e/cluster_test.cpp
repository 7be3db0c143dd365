// A cluster of real `qscan node` processes (coordinator, workers, bridge) on loopback:
// it answers the contract as `qscan serve` does, lists its nodes, keeps anomaly
// answers right when shards move, and keeps out keys and versions it does not admit.
#include <catch2/catch.hpp>

#include <algorithm>

#include <csignal>
#include <regex>
#include <set>

#include <boost/json.hpp>

#include "tests/support/http_client.hpp"
#include "tests/support/qscan_cluster.hpp"
#include "tests/support/qscan_server.hpp"
#include "tests/support/wait.hpp"

using namespace qs::test;
using namespace std::chrono_literals;

namespace {

const std::vector<std::pair<std::string, std::string>> json_type = {
    {"Content-Type", "application/json"}};

// The answer without what differs between any two runs: ids and times (a training
// job's id carries the second it started, in its own field and in the message).
boost::json::value comparable(boost::json::value v) {
  if (auto* text = v.if_string()) {
    static const std::regex job_time("train-[0-9]{8}T[0-9]{6}-");
    return boost::json::string(std::regex_replace(std::string(*text), job_time, "train-TIME-"));
  }
  if (auto* object = v.if_object()) {
    boost::json::object out;
    for (auto& [key, value] : *object) {
      const std::string name(key);
      if (name == "request_id" || name.find("timestamp") != std::string::npos ||
          (name.size() > 3 && name.substr(name.size() - 3) == "_at"))
        continue;
      out[key] = comparable(value);
    }
    return out;
  }
  if (auto* array = v.if_array()) {
    boost::json::array out;
    for (auto& value : *array)
      out.push_back(comparable(value));
    return out;
  }
  return v;
}

// A second scan of an asset, with a posture change the anomaly rules notice.
std::string changed_scan(const std::string& asset) {
  return R"({"scan_results":[{"asset_id":")" + asset +
         R"(","asset_type":"web_service","vulnerabilities":[)"
         R"({"type":"weak_crypto","severity":"critical","algorithm":"DES"},)"
         R"({"type":"weak_crypto","severity":"high","algorithm":"RSA-512"},)"
         R"({"type":"tls","severity":"high","algorithm":"MD5"}],)"
         R"("quantum_risk_score":0.95,"timestamp":"2026-11-25T11:00:00","metadata":{}}]})";
}

} // namespace

TEST_CASE("a cluster of coordinator, two workers and a bridge answers the contract exactly as "
          "qscan serve does",
          "[cluster]") {
  qscan_server serve;
  qscan_cluster cluster;
  http_client alone(serve.port());
  http_client many(cluster.bridge_port());
  const std::vector<std::pair<std::string, std::string>> calls = {
      {"/ai-threat-predictor/predict", scan_results_body(10, "p-")},
      {"/quantum/ai-threat-predictor/detect-anomalies", scan_results_body(10, "a-")},
      {"/quantum/ai-threat-predictor/detect-anomalies", changed_scan("a-3")},
      {"/v1/enhance", scan_results_body(5, "e-")},
      {"/ai-threat-predictor/predict", R"({"scan_results":[]})"},
      {"/ai-threat-predictor/train",
       R"({"model_type":"threat_predictor","training_data":[{"asset_id":"t-1"}]})"},
  };
  for (const auto& [path, body] : calls) {
    INFO(path << " " << body.substr(0, 80));
    auto expected = alone.request("POST", path, body, json_type);
    auto got = many.request("POST", path, body, json_type);
    CHECK(expected.status == 200);
    CHECK(got.status == expected.status);
    CHECK(got.headers.count("x-qscan-degraded") == 0);
    CHECK(boost::json::serialize(comparable(got.json())) ==
          boost::json::serialize(comparable(expected.json())));
  }
  auto health = many.request("GET", "/ai-threat-predictor/health");
  CHECK(health.status == 200);
  CHECK(health.json().at("status") == "healthy");
  CHECK(many.request("GET", "/ai-threat-predictor/model-info").status == 200);
  // Stored once each, with the same history as the one-process server.
  CHECK(stored_total(cluster.bridge_port(), "a-3") == 2);
  CHECK(stored_total(cluster.bridge_port(), "p-9") == 1);
  // Every read of cluster state, through persistence nodes the bridge has no copy of.
  for (const std::string path :
       {"/v1/assets/a-3", "/v1/assets/a-3/series", "/v1/assets/p-9", "/v1/assets/a-3?limit=1"}) {
    INFO(path);
    auto a = alone.request("GET", path);
    auto b = many.request("GET", path);
    CHECK(b.status == a.status);
    CHECK(boost::json::serialize(comparable(a.json())) ==
          boost::json::serialize(comparable(b.json())));
  }
  CHECK(many.request("GET", "/v1/assets/nobody").status == 404);
  auto bad_cursor = many.request("GET", "/v1/assets/a-3?cursor=zzz");
  CHECK(bad_cursor.status == 400);
  CHECK(bad_cursor.json().at("error").at("details").at(0).at("path") == "query.cursor");
  // A retry with the same Idempotency-Key is answered from storage, stored once.
  auto keyed = json_type;
  keyed.emplace_back("Idempotency-Key", "cluster-retry-1");
  const auto body = scan_results_body(1, "k-");
  auto first = many.request("POST", "/ai-threat-predictor/predict", body, keyed);
  auto again = many.request("POST", "/ai-threat-predictor/predict", body, keyed);
  CHECK(first.status == 200);
  CHECK(again.status == 200);
  CHECK(again.body == first.body);
  CHECK(again.headers.count("idempotent-replayed") == 1);
  CHECK(stored_total(cluster.bridge_port(), "k-0") == 1);
}

TEST_CASE("GET /v1/cluster lists the coordinator, the workers and the bridge with their state",
          "[cluster]") {
  qscan_cluster cluster;
  http_client client(cluster.bridge_port());
  auto predicted =
      client.request("POST", "/ai-threat-predictor/predict", scan_results_body(20), json_type);
  REQUIRE(predicted.status == 200);
  CHECK(predicted.json().at("degraded") == false);
  auto view = client.request("GET", "/v1/cluster");
  INFO(view.body);
  REQUIRE(view.status == 200);
  const auto body = view.json().as_object();
  CHECK(body.at("dead_letters").as_array().empty());
  std::map<std::string, boost::json::object> nodes;
  for (const auto& node : body.at("nodes").as_array())
    nodes[std::string(node.at("id").as_string())] = node.as_object();
  REQUIRE(nodes.size() == 4);
  for (const char* id : {"coordinator", "worker-1", "worker-2", "bridge"}) {
    INFO(id);
    REQUIRE(nodes.count(id) == 1);
    const auto& node = nodes[id];
    CHECK(node.at("state") == "up");
    CHECK(node.at("public_key").as_string().size() == 40);
    for (const char* field : {"address", "roles", "roles_down", "heartbeat_age_ms", "tasks_done",
                              "tasks_in_flight", "restarts"})
      CHECK(node.contains(field));
  }
  CHECK(nodes["worker-1"].at("roles").as_array().size() == 3);
  // The view is refreshed every 100 ms, so the tasks just done may show a moment later:
  // a predictor and an anomaly task at least (persistence may run on either worker).
  CHECK(wait_until(
      [&] {
        return cluster_node(cluster.bridge_port(), "worker-1")["tasks_done"].as_int64() +
                   cluster_node(cluster.bridge_port(), "worker-2")["tasks_done"].as_int64() >=
               3;
      },
      10s));
  // The bridge learns the roles' state from the coordinator about every second.
  REQUIRE(wait_until(
      [&] { return client.request("GET", "/v1/health").json().at("status") == "ok"; }, 10s));
  auto health = client.request("GET", "/v1/health").json();
  for (const char* role : {"coordinator", "predictor", "anomaly", "persistence", "bridge"})
    CHECK(health.at("roles").at(role).at("state") == "ok");
}

TEST_CASE("anomaly answers stay the same when shards move to a new worker", "[cluster]") {
  qscan_server serve;
  qscan_cluster cluster;
  http_client alone(serve.port());
  http_client many(cluster.bridge_port());
  const std::string path = "/ai-threat-predictor/detect-anomalies";
  REQUIRE(alone.request("POST", path, scan_results_body(40, "m-"), json_type).status == 200);
  REQUIRE(many.request("POST", path, scan_results_body(40, "m-"), json_type).status == 200);
  // A third worker joins: some shards move to it, whose cache is empty.
  cluster.start_worker("worker-3");
  REQUIRE(wait_until(
      [&] { return cluster_node(cluster.bridge_port(), "worker-3")["state"] == "up"; }, 10s));
  for (int i = 0; i < 40; ++i) {
    const std::string asset = "m-" + std::to_string(i);
    auto expected = alone.request("POST", path, changed_scan(asset), json_type).json();
    auto got = many.request("POST", path, changed_scan(asset), json_type).json();
    INFO(asset);
    CHECK(got.at("degraded") == false);
    CHECK(boost::json::serialize(comparable(got.at("anomalies"))) ==
          boost::json::serialize(comparable(expected.at("anomalies"))));
    CHECK(got.at("anomalies").at(0).at("is_anomaly") == true);
  }
  // The new worker took part (the view is refreshed every 100 ms).
  CHECK(wait_until(
      [&] { return cluster_node(cluster.bridge_port(), "worker-3")["tasks_done"].as_int64() > 0; },
      10s));
}

// Scan `day` of `asset`: `findings` low-severity findings.
std::string day_scan(const std::string& asset, int day, int findings) {
  std::string body = R"({"scan_results":[{"asset_id":")" + asset + R"(","timestamp":"2026-01-)" +
                     (day < 10 ? "0" : "") + std::to_string(day) +
                     R"(T10:00:00","vulnerabilities":[)";
  for (int i = 0; i < findings; ++i)
    body += std::string(i ? "," : "") + R"({"type":"misconfiguration","severity":"low"})";
  return body + "]}]}";
}

TEST_CASE("metric anomalies match qscan serve's when shards move in the middle of assets' "
          "series",
          "[cluster]") {
  qscan_server serve;
  qscan_cluster cluster;
  http_client alone(serve.port());
  http_client many(cluster.bridge_port());
  const std::string path = "/ai-threat-predictor/detect-anomalies";
  constexpr int assets = 12;
  for (int day = 1; day <= 12; ++day)
    for (int a = 0; a < assets; ++a) {
      const auto body = day_scan("s-" + std::to_string(a), day, 3 + (day + a) % 2);
      REQUIRE(alone.request("POST", path, body, json_type).status == 200);
      REQUIRE(many.request("POST", path, body, json_type).status == 200);
    }
  // A third worker joins: the assets whose shards move to it are rebuilt from storage.
  cluster.start_worker("worker-3");
  REQUIRE(wait_until(
      [&] { return cluster_node(cluster.bridge_port(), "worker-3")["state"] == "up"; }, 10s));
  int alerts = 0;
  for (int a = 0; a < assets; ++a) {
    const auto body = day_scan("s-" + std::to_string(a), 13, 40);
    auto expected = alone.request("POST", path, body, json_type).json();
    auto got = many.request("POST", path, body, json_type).json();
    INFO("s-" << a);
    CHECK(got.at("degraded") == false);
    CHECK(boost::json::serialize(comparable(got.at("anomalies"))) ==
          boost::json::serialize(comparable(expected.at("anomalies"))));
    const auto& types = got.at("anomalies").at(0).at("anomaly_types").as_array();
    alerts +=
        std::find(types.begin(), types.end(), boost::json::value("metric_anomaly")) != types.end();
  }
  CHECK(alerts == assets);
  // Some of those assets moved to the new worker (the view is refreshed every 100 ms).
  CHECK(wait_until(
      [&] { return cluster_node(cluster.bridge_port(), "worker-3")["tasks_done"].as_int64() > 0; },
      10s));
}

TEST_CASE("a node whose key is not allowed cannot join, and one speaking another protocol "
          "version is refused with the reason",
          "[cluster]") {
  qscan_cluster cluster(with_workers(1));
  // Unknown key: the coordinator's ZAP handler refuses the CURVE handshake.
  auto& stranger = cluster.start_worker("stranger", {}, /*allow=*/false, /*wait=*/false);
  // Another version: admitted by ZAP, then REFUSEd with the code version_mismatch; the
  // node exits 1 and says why, naming both versions.
  auto& older = cluster.start_worker("older", {"--hello-version", "1"}, true, false);
  CHECK(older.wait(30s) == 1);
  CHECK(older.stderr_tail().find("protocol version 1, this node speaks 3") != std::string::npos);
  CHECK(older.stderr_tail().find("wire.version_mismatch") != std::string::npos);
  // By then the stranger has tried for several heartbeats.
  REQUIRE(
      wait_until([&] { return !cluster_node(cluster.bridge_port(), "worker-1").empty(); }, 10s));
  CHECK(cluster_node(cluster.bridge_port(), "stranger").empty());
  CHECK(cluster_node(cluster.bridge_port(), "older").empty());
  CHECK(stranger.running());
  http_client client(cluster.bridge_port());
  auto reply =
      client.request("POST", "/ai-threat-predictor/predict", scan_results_body(4), json_type);
  CHECK(reply.status == 200);
  CHECK(reply.json().at("degraded") == false);
}

TEST_CASE("a dead node stays listed as dead until an operator forgets it", "[cluster]") {
  qscan_cluster cluster;
  cluster.worker("worker-2").signal(SIGKILL);
  REQUIRE(wait_until(
      [&] { return cluster_node(cluster.bridge_port(), "worker-2")["state"] == "dead"; }, 15s));
  auto forget = child_process::start(
      {QSCAN_BINARY, "cluster", "forget", "worker-2", "--allow", cluster.dir() + "/allow"});
  REQUIRE(forget.wait(30s) == 0);
  CHECK(wait_until([&] { return cluster_node(cluster.bridge_port(), "worker-2").empty(); }, 10s));
  CHECK(cluster_node(cluster.bridge_port(), "worker-1")["state"] == "up");
}

TEST_CASE("anomaly answers match qscan serve's when requests mix assets in different orders",
          "[cluster]") {
  qscan_server serve;
  qscan_cluster cluster;
  http_client alone(serve.port());
  http_client many(cluster.bridge_port());
  const std::string path = "/ai-threat-predictor/detect-anomalies";
  auto both = [&](const std::string& body) {
    auto expected = alone.request("POST", path, body, json_type).json();
    auto got = many.request("POST", path, body, json_type).json();
    CHECK(got.at("degraded") == false);
    CHECK(boost::json::serialize(comparable(got.at("anomalies"))) ==
          boost::json::serialize(comparable(expected.at("anomalies"))));
  };
  // Each asset alone, then all together, then alone again: every answer depends on the
  // asset's previous scan, wherever the cluster keeps it.
  for (int round = 0; round < 3; ++round) {
    both(scan_results_body(12, "x-"));
    for (int i = 0; i < 12; i += 3)
      both(changed_scan("x-" + std::to_string(i)));
  }
}
