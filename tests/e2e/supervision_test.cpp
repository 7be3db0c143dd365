// A worker that crashes mid-request is restarted; the request never hangs.
// Crashes are injected with --fault-injection and metadata.qscan_fault.
#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include "tests/support/http_client.hpp"
#include "tests/support/qscan_server.hpp"

using namespace qs::test;

namespace {

const std::vector<std::pair<std::string, std::string>> json_type = {
    {"Content-Type", "application/json"}};

std::uint64_t restarts(http_client& client, const std::string& role) {
  auto body = client.request("GET", "/metrics").body;
  const std::string series = "qscan_actor_restarts_total{role=\"" + role + "\"} ";
  auto at = body.find(series);
  return at == std::string::npos ? 0 : std::stoull(body.substr(at + series.size()));
}

} // namespace

TEST_CASE("a predictor that crashes on a request is restarted and the request is answered "
          "degraded with the reason, and the next request succeeds",
          "[supervision]") {
  qscan_server server({"--fault-injection", "--task-timeout-ms", "300"});
  http_client client(server.port());
  auto crashed = client.request(
      "POST", "/ai-threat-predictor/predict",
      R"({"scan_results":[{"asset_id":"poison","metadata":{"qscan_fault":"crash-predictor"}}]})",
      json_type);
  REQUIRE(crashed.status == 200);
  const auto body = crashed.json().as_object();
  CHECK(body.at("degraded") == true);
  CHECK(crashed.headers["x-qscan-degraded"] == "true");
  const std::string reason(body.at("degraded_reasons").at(0).as_string());
  CHECK(reason.find("predictor") != std::string::npos);
  CHECK(reason.find("twice") != std::string::npos);
  CHECK(body.at("predictions").as_array().size() == 1);
  CHECK(restarts(client, "predictor") == 2);

  auto next =
      client.request("POST", "/ai-threat-predictor/predict", scan_results_body(2), json_type);
  REQUIRE(next.status == 200);
  CHECK(next.json().at("degraded") == false);
  // The degraded answer was stored too: nothing acknowledged is lost.
  auto stored = client.request("GET", "/v1/assets/poison");
  REQUIRE(stored.status == 200);
  CHECK(stored.json().at("total") == 1);
}

TEST_CASE("past the restart budget a role is reported down, and answers degrade, not hang",
          "[supervision]") {
  qscan_server server({"--fault-injection", "--max-restarts", "1", "--predictor-workers", "1"});
  http_client client(server.port());
  const std::string poison =
      R"({"scan_results":[{"asset_id":"poison","metadata":{"qscan_fault":"crash-predictor"}}]})";
  REQUIRE(client.request("POST", "/ai-threat-predictor/predict", poison, json_type).status == 200);
  auto health = client.request("GET", "/ai-threat-predictor/health").json().as_object();
  CHECK(health.at("status") == "healthy");
  CHECK(health.at("roles").at("predictor").at("state") == "down");
  auto after =
      client.request("POST", "/ai-threat-predictor/predict", scan_results_body(1), json_type);
  REQUIRE(after.status == 200);
  CHECK(after.json().at("degraded") == true);
  auto full = client.request("GET", "/v1/health").json().as_object();
  CHECK(full.at("status") == "degraded");
}
