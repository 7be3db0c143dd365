// The Scorpius contract, spoken over real HTTP to a real `qscan serve`.
#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include "tests/support/http_client.hpp"
#include "tests/support/qscan_server.hpp"

using namespace qs::test;
namespace json = boost::json;

namespace {

const std::vector<std::pair<std::string, std::string>> json_type = {
    {"Content-Type", "application/json"}};

const char* one_asset = R"({"scan_results":[{"asset_id":"api-gateway-01","asset_type":"web_service",
  "vulnerabilities":[{"type":"weak_crypto","severity":"high","algorithm":"RSA-1024","location":"/api/auth"}],
  "quantum_risk_score":0.7,"timestamp":"2026-11-25T10:00:00","metadata":{}}]})";

void require_timestamp_without_z(const json::value& v) {
  REQUIRE(v.is_string());
  const std::string s(v.get_string());
  CHECK(s.size() >= 19);
  CHECK(s.back() != 'Z');
  CHECK(s[10] == 'T');
}

void require_prediction(const json::value& p) {
  const auto& o = p.as_object();
  for (const char* key :
       {"threat_score", "threat_types", "confidence", "mitigation_steps", "predicted_at"})
    REQUIRE(o.contains(key));
  const double score = o.at("threat_score").to_number<double>();
  CHECK(score >= 0.0);
  CHECK(score <= 1.0);
  CHECK(o.at("threat_types").is_array());
  CHECK(o.at("mitigation_steps").is_array());
  require_timestamp_without_z(o.at("predicted_at"));
}

void require_anomaly(const json::value& a) {
  const auto& o = a.as_object();
  for (const char* key :
       {"is_anomaly", "anomaly_score", "anomaly_types", "confidence", "detected_at"})
    REQUIRE(o.contains(key));
  CHECK(o.at("is_anomaly").is_bool());
  require_timestamp_without_z(o.at("detected_at"));
}

} // namespace

TEST_CASE("predict answers one prediction per scan result, in order, on every alias",
          "[contract]") {
  qscan_server server;
  http_client client(server.port());
  for (const char* path :
       {"/ai-threat-predictor/predict", "/quantum/ai-threat-predictor/predict",
        "/api/v1/ai-threat-predictor/predict", "/quantum/api/v1/ai-threat-predictor/predict"}) {
    INFO(path);
    auto reply = client.request("POST", path, scan_results_body(3), json_type);
    REQUIRE(reply.status == 200);
    CHECK(reply.headers["content-type"] == "application/json");
    const auto body = reply.json().as_object();
    const auto& predictions = body.at("predictions").as_array();
    REQUIRE(predictions.size() == 3);
    for (const auto& p : predictions)
      require_prediction(p);
    CHECK(body.at("degraded") == false);
  }
}

TEST_CASE("a weak RSA key gets a specific threat type and a mitigation naming its replacement",
          "[contract]") {
  qscan_server server;
  auto reply = http_post_json(server.port(), "/ai-threat-predictor/predict", one_asset);
  REQUIRE(reply.status == 200);
  const auto p = reply.json().at("predictions").at(0).as_object();
  bool names_replacement = false;
  for (const auto& step : p.at("mitigation_steps").as_array()) {
    const std::string s(step.as_string());
    names_replacement |=
        s.find("RSA-1024") != std::string::npos && s.find("ML-KEM") != std::string::npos;
  }
  CHECK(names_replacement);
  CHECK(!p.at("threat_types").as_array().empty());
  // The threat is the learned probability that the finding is exploited (KEV-like),
  // small for a bare weak key; its quantum risk is in quantum_risk_score.
  const double threat = p.at("threat_score").to_number<double>();
  CHECK(threat > 0);
  CHECK(threat < 0.05);
  const auto& finding = p.at("findings").at(0);
  CHECK(finding.at("exploit_probability").to_number<double>() == Approx(threat).margin(0.0001));
  CHECK(finding.at("catalogued") == false);
}

TEST_CASE("detect-anomalies answers one anomaly per scan result on every alias", "[contract]") {
  qscan_server server;
  http_client client(server.port());
  for (const char* path :
       {"/ai-threat-predictor/detect-anomalies", "/quantum/ai-threat-predictor/detect-anomalies",
        "/api/v1/ai-threat-predictor/anomalies"}) {
    INFO(path);
    auto reply =
        client.request("POST", path, scan_results_body(4, std::string(path) + "-"), json_type);
    REQUIRE(reply.status == 200);
    const auto body = reply.json();
    const auto& anomalies = body.at("anomalies").as_array();
    REQUIRE(anomalies.size() == 4);
    for (const auto& a : anomalies)
      require_anomaly(a);
  }
}

TEST_CASE("a deprecated algorithm is reported as an anomaly", "[contract]") {
  qscan_server server;
  auto reply = http_post_json(server.port(), "/ai-threat-predictor/detect-anomalies",
                              R"({"scan_results":[{"asset_id":"legacy-01","vulnerabilities":[
          {"type":"weak_crypto","severity":"high","algorithm":"MD5"},
          {"type":"weak_crypto","severity":"high","algorithm":"RC4"}]}]})");
  REQUIRE(reply.status == 200);
  const auto a = reply.json().at("anomalies").at(0).as_object();
  CHECK(a.at("is_anomaly") == true);
  bool deprecated = false;
  for (const auto& t : a.at("anomaly_types").as_array())
    deprecated |= t.as_string() == "deprecated_usage";
  CHECK(deprecated);
}

TEST_CASE("health says exactly healthy, with the roles beside it", "[contract]") {
  qscan_server server;
  http_client client(server.port());
  for (const char* path : {"/ai-threat-predictor/health", "/quantum/ai-threat-predictor/health",
                           "/api/v1/ai-threat-predictor/health"}) {
    auto reply = client.request("GET", path);
    REQUIRE(reply.status == 200);
    const auto body = reply.json().as_object();
    CHECK(body.at("status") == "healthy");
    CHECK(body.contains("timestamp"));
    CHECK(body.contains("version"));
    CHECK(body.at("roles").as_object().contains("predictor"));
  }
}

TEST_CASE("model-info tells what really runs and claims no accuracy it has not measured",
          "[contract]") {
  qscan_server server;
  http_client client(server.port());
  for (const char* path :
       {"/ai-threat-predictor/model-info", "/quantum/ai-threat-predictor/model-info",
        "/api/v1/ai-threat-predictor/model/info"}) {
    auto reply = client.request("GET", path);
    REQUIRE(reply.status == 200);
    const auto body = reply.json().as_object();
    for (const char* model : {"threat_predictor", "anomaly_detector"}) {
      const auto& m = body.at(model).as_object();
      CHECK(m.contains("version"));
      CHECK(m.contains("last_trained"));
    }
    // The shipped exploit model: its accuracy is the validation ROC-AUC it measured.
    const auto& threat = body.at("threat_predictor").as_object();
    CHECK(threat.at("kind") == "gradient-boosted-trees");
    CHECK(threat.at("accuracy").to_number<double>() ==
          threat.at("validation").at("auc").to_number<double>());
    CHECK(threat.at("last_trained").is_string());
    // The anomaly rules measure nothing, so they claim nothing.
    CHECK(body.at("anomaly_detector").at("accuracy").is_null());
  }
}

TEST_CASE("train stores labelled examples and says it did not retrain", "[contract]") {
  qscan_server server;
  http_client client(server.port());
  auto reply = client.request("POST", "/ai-threat-predictor/train",
                              R"({"model_type":"threat_predictor","training_data":[
          {"asset_id":"a","vulnerabilities":[{"severity":"critical","cve_id":"CVE-2017-0144","exploited":true}]},
          {"asset_id":"b","vulnerabilities":[{"severity":"low","exploited":false}]},
          {"asset_id":"c"}]})",
                              json_type);
  REQUIRE(reply.status == 200);
  const auto body = reply.json().as_object();
  CHECK(body.at("stored_examples") == 3);
  CHECK(body.at("labelled_examples") == 2);
  CHECK(body.at("exploited_examples") == 1);
  CHECK(body.at("retrained") == false);
  auto alias = client.request("POST", "/api/v1/ai-threat-predictor/model/train",
                              R"({"training_data":[{"asset_id":"d"}]})", json_type);
  CHECK(alias.status == 200);
  auto info = client.request("GET", "/ai-threat-predictor/model-info").json();
  CHECK(info.at("training_examples").at("stored") == 4);
}

TEST_CASE("status reports version, uptime and every service", "[contract]") {
  qscan_server server;
  auto body = http_client(server.port()).request("GET", "/status").json().as_object();
  CHECK(body.contains("version"));
  CHECK(body.at("uptime_seconds").to_number<double>() >= 0);
  const auto& services = body.at("services").as_object();
  for (const char* role : {"coordinator", "predictor", "anomaly", "persistence", "bridge"})
    CHECK(services.contains(role));
}

TEST_CASE("enhance answers the client's whole envelope with the contract's risk formula",
          "[contract]") {
  qscan_server server;
  auto reply = http_post_json(server.port(), "/v1/enhance", scan_results_body(2));
  REQUIRE(reply.status == 200);
  const auto body = reply.json().as_object();
  for (const char* key : {"original_results", "ai_predictions", "anomaly_detections",
                          "analysis_timestamp", "enhanced_risk_assessment"})
    REQUIRE(body.contains(key));
  const auto& risk = body.at("enhanced_risk_assessment").as_object();
  double threat = 0;
  for (const auto& p : body.at("ai_predictions").as_array())
    threat += p.at("threat_score").to_number<double>();
  threat /= 2;
  double anomalous = 0;
  for (const auto& a : body.at("anomaly_detections").as_array())
    anomalous += a.at("is_anomaly").as_bool() ? 1 : 0;
  const double rate = anomalous / 2;
  const double expected = std::min(0.4 * 0.7 + 0.4 * threat + 0.2 * rate, 1.0);
  CHECK(risk.at("overall_risk").to_number<double>() == Approx(expected).margin(1e-9));
  CHECK(risk.at("quantum_risk").to_number<double>() == Approx(0.7));
  CHECK(risk.contains("risk_level"));
  CHECK(risk.contains("risk_factors"));
  CHECK(body.at("original_results").as_array().size() == 2);
}

TEST_CASE("enhance with no scan results answers zero risk and no factors", "[contract]") {
  qscan_server server;
  auto reply = http_post_json(server.port(), "/v1/enhance", R"({"scan_results":[]})");
  REQUIRE(reply.status == 200);
  const auto risk = reply.json().at("enhanced_risk_assessment").as_object();
  CHECK(risk.at("overall_risk").to_number<double>() == 0.0);
  CHECK(risk.at("risk_factors").as_array().empty());
}

TEST_CASE("unknown fields are kept, stored and echoed; defaults are filled in", "[contract]") {
  qscan_server server;
  http_client client(server.port());
  auto reply = client.request("POST", "/v1/enhance",
                              R"({"scan_results":[{"asset_id":"x-1","custom_tag":{"team":"blue"},
          "vulnerabilities":[{"severity":"HIGH","algorithm":"RSA-2048","vendor_note":"kept"}]}]})",
                              json_type);
  REQUIRE(reply.status == 200);
  const auto original = reply.json().at("original_results").at(0).as_object();
  CHECK(original.at("custom_tag").at("team") == "blue");
  CHECK(original.at("asset_type") == "unknown");
  CHECK(original.at("metadata").as_object().empty());
  CHECK(original.contains("timestamp"));
  const double q = original.at("quantum_risk_score").to_number<double>();
  CHECK(q > 0.0);
  CHECK(q <= 1.0);
  CHECK(original.at("vulnerabilities").at(0).at("vendor_note") == "kept");
  auto history = client.request("GET", "/v1/assets/x-1").json();
  CHECK(history.at("history").at(0).at("scan_result").at("custom_tag").at("team") == "blue");
}

TEST_CASE("Scorpius's other finding shapes are mapped and the mapping is reported", "[contract]") {
  qscan_server server;
  auto reply = http_post_json(server.port(), "/ai-threat-predictor/predict",
                              R"({"scan_results":[
          {"target_id":"old-1","target_type":"contract","scan_time":"2026-11-25T10:00:00+00:00",
           "findings":[{"vulnerability_type":"weak_crypto","severity":"HIGH",
                        "details":{"algorithm":"ECDSA P-256","location":"/sign","quantum_vulnerable":true}}],
           "risk_score":7.5,"scan_metadata":{"scanner":"legacy"}},
          {"asset_id":"slither-1","vulnerabilities":[
            {"id":"F1","title":"Reentrancy","category":"reentrancy","severity":"CRITICAL",
             "severity_value":4,"confidence":0.9,"swc_id":"SWC-107","cwe_id":"CWE-841",
             "location":{"filename":"Vault.sol","line":42,"column":7}}]}]})");
  REQUIRE(reply.status == 200);
  const auto body = reply.json().as_object();
  REQUIRE(body.at("predictions").as_array().size() == 2);
  REQUIRE(body.contains("warnings"));
  const std::string warning(body.at("warnings").at(0).as_string());
  CHECK(warning.find("target_id->asset_id") != std::string::npos);
  auto history = http_client(server.port()).request("GET", "/v1/assets/old-1");
  REQUIRE(history.status == 200);
  const auto stored = history.json().at("history").at(0).at("scan_result").as_object();
  CHECK(stored.at("asset_type") == "contract");
  CHECK(stored.at("vulnerabilities").at(0).at("algorithm") == "ECDSA P-256");
  CHECK(stored.at("metadata").at("scanner") == "legacy");
}

TEST_CASE("asset history lists every stored result newest first, paginated by cursor",
          "[contract]") {
  qscan_server server;
  http_client client(server.port());
  for (int i = 0; i < 5; ++i) {
    auto r = client.request("POST", "/ai-threat-predictor/predict",
                            R"({"scan_results":[{"asset_id":"paged","metadata":{"n":)" +
                                std::to_string(i) + "}}]}",
                            json_type);
    REQUIRE(r.status == 200);
  }
  auto first = client.request("GET", "/v1/assets/paged?limit=2");
  REQUIRE(first.status == 200);
  auto page = first.json().as_object();
  CHECK(page.at("asset_id") == "paged");
  CHECK(page.at("total") == 5);
  REQUIRE(page.at("history").as_array().size() == 2);
  CHECK(page.at("history").at(0).at("scan_result").at("metadata").at("n") == 4);
  CHECK(page.at("latest").at("scan_result").at("metadata").at("n") == 4);
  CHECK(!page.at("history").at(0).at("prediction").is_null());
  std::vector<std::int64_t> seen;
  while (true) {
    for (const auto& e : page.at("history").as_array())
      seen.push_back(e.at("scan_result").at("metadata").at("n").as_int64());
    if (page.at("next").is_null())
      break;
    const std::string cursor(page.at("next").as_string());
    auto next = client.request("GET", "/v1/assets/paged?limit=2&cursor=" + cursor);
    REQUIRE(next.status == 200);
    page = next.json().as_object();
  }
  CHECK(seen == std::vector<std::int64_t>{4, 3, 2, 1, 0});
  CHECK(client.request("GET", "/v1/assets/never-seen").status == 404);
  CHECK(client.request("GET", "/v1/assets/paged?limit=0").status == 400);
  CHECK(client.request("GET", "/v1/assets/paged?cursor=garbage").status == 400);
}

TEST_CASE("a retried request with the same Idempotency-Key is answered again and stored once",
          "[contract]") {
  qscan_server server;
  http_client client(server.port());
  auto headers = json_type;
  headers.emplace_back("Idempotency-Key", "retry-key-1");
  auto first = client.request("POST", "/ai-threat-predictor/predict", scan_results_body(2, "idem-"),
                              headers);
  auto second = client.request("POST", "/ai-threat-predictor/predict",
                               scan_results_body(2, "idem-"), headers);
  REQUIRE(first.status == 200);
  REQUIRE(second.status == 200);
  CHECK(first.body == second.body);
  CHECK(second.headers["idempotent-replayed"] == "true");
  auto history = client.request("GET", "/v1/assets/idem-0").json();
  CHECK(history.at("total") == 1);
  auto elsewhere = client.request("POST", "/ai-threat-predictor/detect-anomalies",
                                  scan_results_body(1, "idem-"), headers);
  CHECK(elsewhere.status == 422);
}

TEST_CASE("metrics are served in Prometheus text format", "[contract]") {
  qscan_server server;
  http_client client(server.port());
  REQUIRE(client.request("POST", "/ai-threat-predictor/predict", scan_results_body(1), json_type)
              .status == 200);
  auto reply = client.request("GET", "/metrics");
  REQUIRE(reply.status == 200);
  CHECK(reply.headers["content-type"].find("text/plain") == 0);
  CHECK(reply.body.find("qscan_http_requests_total{route=\"predict\",status=\"200\"} 1") !=
        std::string::npos);
  CHECK(reply.body.find("qscan_http_request_duration_seconds_bucket") != std::string::npos);
  CHECK(reply.body.find("qscan_degraded_answers_total") != std::string::npos);
  CHECK(reply.body.find("qscan_http_requests_in_flight") != std::string::npos);
}
