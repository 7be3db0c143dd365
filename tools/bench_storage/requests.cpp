#include "tools/bench_storage/requests.hpp"

#include <map>
#include <random>

#include <boost/json.hpp>

#include "actors/analytics/anomaly_rules.hpp"
#include "actors/bridge/answer_builder.hpp"
#include "actors/intel/learned_threat_model.hpp"
#include "protocol/scan_result_codec.hpp"
#include "protocol/timestamp.hpp"

namespace qs::bench {

namespace {

struct finding_kind {
  const char* type;
  const char* algorithm;
  const char* severity;
  const char* cwe; // "" for none
  double cvss;
  std::vector<const char*> locations;
};

// The mix tools/bench's request bodies use.
const std::vector<finding_kind> kinds = {
    {"weak_crypto", "RSA-1024", "critical", "CWE-326", 9.1, {"/api/auth", "tls:443", "/sso/saml"}},
    {"quantum_vulnerable",
     "RSA-2048",
     "high",
     "CWE-327",
     7.4,
     {"tls:443", "/oauth/token", "jwt:RS256"}},
    {"quantum_vulnerable",
     "ECDSA P-256",
     "high",
     "CWE-327",
     7.1,
     {"tls:443", "code-signing", "jwt:ES256"}},
    {"quantum_vulnerable",
     "X25519",
     "medium",
     "CWE-327",
     5.9,
     {"tls:443 key_share", "ssh:22", "wireguard:51820"}},
    {"weak_symmetric",
     "AES-128-GCM",
     "low",
     "CWE-326",
     3.7,
     {"tls:443 cipher", "/storage/blobs", "kms:data-key"}},
    {"weak_hash",
     "SHA-1",
     "high",
     "CWE-328",
     7.5,
     {"x509 signature", "/api/webhooks hmac", "git:objects"}},
    {"weak_hash", "MD5", "critical", "CWE-328", 9.8, {"/legacy/login", "db:password_hash", "etag"}},
    {"pqc_deployed", "ML-KEM-768", "info", "", 0.0, {"tls:443 hybrid key_share", "/pqc/kem"}},
};
const char* const asset_types[] = {"web_service",    "api_gateway",  "database",
                                   "load_balancer",  "vpn_endpoint", "mail_server",
                                   "message_broker", "iot_device",   "kubernetes_ingress"};

boost::json::object scan_result(std::mt19937& rng, std::size_t asset, std::size_t findings) {
  namespace json = boost::json;
  const std::string kind = asset_types[asset % std::size(asset_types)];
  std::string id = kind;
  for (auto& ch : id)
    if (ch == '_')
      ch = '-';
  char number[16];
  std::snprintf(number, sizeof number, "-%05zu", asset + 1);
  json::array vulnerabilities;
  std::uniform_real_distribution<double> jitter(-0.6, 0.6);
  for (std::size_t f = 0; f < findings; ++f) {
    const auto& k = kinds[rng() % kinds.size()];
    json::object v{{"type", k.type},
                   {"severity", k.severity},
                   {"algorithm", k.algorithm},
                   {"location", k.locations[rng() % k.locations.size()]}};
    if (*k.cwe) {
      v["cwe_id"] = k.cwe;
      v["cvss_score"] = std::round(std::min(10.0, std::max(0.0, k.cvss + jitter(rng))) * 10) / 10;
    }
    vulnerabilities.push_back(std::move(v));
  }
  char timestamp[32];
  std::snprintf(timestamp, sizeof timestamp, "2026-11-25T%02u:%02u:00", unsigned(rng() % 24),
                unsigned(rng() % 60));
  return {{"asset_id", id + number},
          {"asset_type", kind},
          {"vulnerabilities", std::move(vulnerabilities)},
          {"quantum_risk_score", static_cast<double>(5 + rng() % 91) / 100},
          {"timestamp", timestamp},
          {"metadata",
           {{"environment", rng() % 2 ? "production" : "staging"},
            {"owner", "team-" + std::to_string(1 + rng() % 9)}}}};
}

std::string hex(std::mt19937& rng, std::size_t digits) {
  static const char* const alphabet = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < digits; ++i)
    out.push_back(alphabet[rng() % 16]);
  return out;
}

} // namespace

std::vector<runtime::storage::write_batch> make_round(const request_shape& shape) {
  std::mt19937 rng(20261125);
  const auto threat = intel::make_learned_threat_model(intel::exploit_model::shipped(),
                                                       std::make_shared<intel::cve_snapshot>());
  std::vector<runtime::storage::write_batch> round;
  for (std::size_t first = 0; first < shape.assets; first += shape.per_request) {
    boost::json::array results;
    for (std::size_t a = first; a < std::min(shape.assets, first + shape.per_request); ++a)
      results.push_back(scan_result(rng, a, shape.findings));
    auto decoded = protocol::decode_batch(boost::json::object{{"scan_results", std::move(results)}},
                                          "scan_results");
    actors::job work;
    work.op = actors::operation::predict;
    work.route = "predict";
    work.request_id = "req-pool-" + std::to_string(round.size());
    work.received_at = protocol::now_iso8601();
    if (shape.keys) {
      work.idempotency_key = "open:" + hex(rng, 32);
      work.idempotency_fingerprint = hex(rng, 64);
    }
    actors::job_answers answers;
    for (auto& r : decoded.results) {
      work.quantum_scores.push_back(r.quantum_risk_score.value_or(0));
      answers.predictions.emplace_back(threat->predict(r));
      answers.anomalies.emplace_back(analytics::detect_anomalies(r, std::nullopt));
    }
    work.results = std::move(decoded.results);
    round.push_back(actors::build_answer(work, answers, {}).batch);
  }
  return round;
}

void renumber(runtime::storage::write_batch& batch, std::size_t serial) {
  static const std::string prefix = "req-" + std::to_string(std::random_device()()) + "-";
  const std::string old = batch.request_id;
  batch.request_id = prefix + std::to_string(serial);
  const std::string now = protocol::now_iso8601();
  for (auto& e : batch.entries) {
    e.request_id = batch.request_id;
    e.stored_at = now;
  }
  if (batch.answer) {
    batch.answer->key = "open:bench-" + std::to_string(serial);
    auto& body = batch.answer->body;
    const std::string was = "\"request_id\":\"" + old + "\"";
    if (const auto at = body.find(was); at != std::string::npos)
      body.replace(at, was.size(), "\"request_id\":\"" + batch.request_id + "\"");
  }
}

} // namespace qs::bench
