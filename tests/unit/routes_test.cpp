#include <catch2/catch.hpp>

#include "actors/bridge/routes.hpp"
#include "runtime/http/message.hpp"

using namespace qs::actors;

TEST_CASE("every contract path is served bare, under /quantum and by its alias", "[routes]") {
  const std::pair<const char*, route_id> cases[] = {
      {"/ai-threat-predictor/predict", route_id::predict},
      {"/quantum/ai-threat-predictor/predict", route_id::predict},
      {"/api/v1/ai-threat-predictor/predict", route_id::predict},
      {"/ai-threat-predictor/detect-anomalies", route_id::detect_anomalies},
      {"/api/v1/ai-threat-predictor/anomalies", route_id::detect_anomalies},
      {"/quantum/ai-threat-predictor/health", route_id::health},
      {"/api/v1/ai-threat-predictor/model/info", route_id::model_info},
      {"/ai-threat-predictor/model-info/", route_id::model_info},
      {"/api/v1/ai-threat-predictor/model/train", route_id::train},
      {"/status", route_id::status},
      {"/quantum/v1/enhance", route_id::enhance},
      {"/metrics", route_id::metrics},
      {"/quantumx/status", route_id::not_found},
      {"/ai-threat-predictor", route_id::not_found},
  };
  for (const auto& [path, id] : cases) {
    INFO(path);
    CHECK(match_route(path).id == id);
  }
}

TEST_CASE("an asset id in the path is percent-decoded", "[routes]") {
  auto m = match_route("/v1/assets/api%2Fgw%2001");
  CHECK(m.id == route_id::asset);
  CHECK(m.asset_id == "api/gw 01");
  CHECK(match_route("/v1/assets/").id == route_id::assets); // the list, as /v1/assets
  CHECK(match_route("/v1/assets/a/b").id == route_id::not_found);
  const auto changes = match_route("/v1/assets/api%2Fgw/changes");
  CHECK(changes.id == route_id::asset_changes);
  CHECK(changes.asset_id == "api/gw");
  CHECK(match_route("/v1/assets/a/b/changes").id == route_id::not_found);
}

TEST_CASE("percent-decoding keeps a bad escape as it is", "[routes]") {
  using qs::runtime::http::percent_decode;
  CHECK(percent_decode("a%2") == "a%2");
  CHECK(percent_decode("a%zz") == "a%zz");
  CHECK(percent_decode("a+b", true) == "a b");
  CHECK(percent_decode("a+b") == "a+b");
}

TEST_CASE("scan jobs: the collection takes GET and POST, a job and its reports GET; schedules",
          "[routes]") {
  CHECK(match_route("/v1/scans").id == route_id::scans);
  CHECK(std::string(match_route("/v1/scans/").allow) == "GET, POST");
  CHECK(std::string(match_route("/v1/schedules").allow) == "GET, POST");
  const auto schedule = match_route("/quantum/v1/schedules/sch-1");
  CHECK(schedule.id == route_id::schedule);
  CHECK(schedule.scan_id == "sch-1");
  CHECK(std::string(schedule.allow) == "GET, DELETE");
  CHECK(match_route("/v1/schedules/sch-1/x").id == route_id::not_found);
  auto job = match_route("/quantum/v1/scans/scan-00ff");
  CHECK(job.id == route_id::scan);
  CHECK(job.scan_id == "scan-00ff");
  CHECK(std::string(job.allow) == "GET");
  CHECK(match_route("/v1/scans/scan-1/cbom").id == route_id::scan_cbom);
  CHECK(match_route("/v1/scans/scan-1/sarif").name == "scan-sarif");
  CHECK(match_route("/v1/scans/scan-1/pdf").id == route_id::not_found);
  CHECK(match_route("/v1/scans/scan-1/cbom/x").id == route_id::not_found);
}
