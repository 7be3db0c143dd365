// Shared by the wire codec tests: exact comparisons (doubles bit for bit,
// documents as written), a job decoded from every shape Scorpius sends, and
// helpers to decode, take an error, and edit valid bytes. Test code only.
#pragma once

#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "actors/cluster/wire_codec.hpp"
#include "protocol/json_input.hpp"
#include "protocol/scan_result_codec.hpp"
#include "runtime/expected.hpp"
#include "tests/support/cbor_tree.hpp"

namespace qs::test::wire_fixture {

namespace json = boost::json;

inline bool same(double a, double b) {
  return std::memcmp(&a, &b, sizeof a) == 0;
}
inline bool same(const std::optional<double>& a, const std::optional<double>& b) {
  return a.has_value() == b.has_value() && (!a || same(*a, *b));
}
inline bool same(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size())
    return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!same(a[i], b[i]))
      return false;
  return true;
}
// Equal as values, and written the same (so -0.0 is not 0.0 and order is kept).
inline bool same(const json::object& a, const json::object& b) {
  return a == b && json::serialize(a) == json::serialize(b);
}

} // namespace qs::test::wire_fixture

// Comparisons for these tests only: doubles compare bit for bit.
namespace qs::protocol {
using qs::test::wire_fixture::same;
inline bool operator==(const vulnerability& a, const vulnerability& b) {
  return a.type == b.type && a.level == b.level && a.algorithm == b.algorithm &&
         a.location == b.location && a.cwe_id == b.cwe_id && a.cve_id == b.cve_id &&
         a.cvss_vector == b.cvss_vector && a.swc_id == b.swc_id && a.title == b.title &&
         same(a.cvss_score, b.cvss_score) && same(a.confidence, b.confidence) &&
         a.exploited == b.exploited;
}
inline bool operator==(const scan_result& a, const scan_result& b) {
  return a.asset_id == b.asset_id && a.asset_type == b.asset_type &&
         a.vulnerabilities == b.vulnerabilities &&
         same(a.quantum_risk_score, b.quantum_risk_score) && a.timestamp == b.timestamp &&
         same(a.metadata(), b.metadata()) && same(a.document, b.document);
}
inline bool operator==(const finding_prediction& a, const finding_prediction& b) {
  return same(a.exploit_probability, b.exploit_probability) && a.cve_id == b.cve_id &&
         a.known_exploited == b.known_exploited && a.catalogued == b.catalogued;
}
inline bool operator==(const prediction& a, const prediction& b) {
  return same(a.threat_score, b.threat_score) && a.threat_types == b.threat_types &&
         same(a.confidence, b.confidence) && a.mitigation_steps == b.mitigation_steps &&
         a.predicted_at == b.predicted_at && a.model_version == b.model_version &&
         a.findings == b.findings;
}
inline bool operator==(const anomaly& a, const anomaly& b) {
  return a.is_anomaly == b.is_anomaly && same(a.anomaly_score, b.anomaly_score) &&
         a.anomaly_types == b.anomaly_types && same(a.confidence, b.confidence) &&
         a.detected_at == b.detected_at && a.details == b.details;
}
} // namespace qs::protocol

namespace qs::runtime::storage {
using qs::test::wire_fixture::same;
inline bool operator==(const entry& a, const entry& b) {
  return a.id == b.id && a.asset_id == b.asset_id && a.request_id == b.request_id &&
         a.operation == b.operation && a.scan_timestamp == b.scan_timestamp &&
         a.stored_at == b.stored_at && a.scan_result == b.scan_result &&
         a.prediction == b.prediction && a.anomaly == b.anomaly;
}
inline bool operator==(const training_example& a, const training_example& b) {
  return a.asset_id == b.asset_id && a.scan_result == b.scan_result && a.exploited == b.exploited &&
         a.stored_at == b.stored_at;
}
inline bool operator==(const idempotent_answer& a, const idempotent_answer& b) {
  return a.key == b.key && a.route == b.route && a.status == b.status && a.body == b.body &&
         a.fingerprint == b.fingerprint;
}
inline bool operator==(const write_batch& a, const write_batch& b) {
  return a.request_id == b.request_id && a.entries == b.entries && a.examples == b.examples &&
         a.answer == b.answer;
}
} // namespace qs::runtime::storage

namespace qs::actors {
using qs::test::wire_fixture::same;
inline bool operator==(const job& a, const job& b) {
  return a.op == b.op && a.request_id == b.request_id && a.route == b.route &&
         a.idempotency_key == b.idempotency_key &&
         a.idempotency_fingerprint == b.idempotency_fingerprint && a.received_at == b.received_at &&
         a.results == b.results && same(a.quantum_scores, b.quantum_scores) &&
         a.warnings == b.warnings && a.model_type == b.model_type;
}
inline bool operator==(const job_outcome& a, const job_outcome& b) {
  return a.status == b.status && a.body == b.body && a.degraded == b.degraded &&
         a.degraded_reasons == b.degraded_reasons && a.failure == b.failure;
}
} // namespace qs::actors

namespace qs::test::wire_fixture {

using namespace qs::actors;

// Every shape Scorpius sends, with every optional both set and unset.
inline const char* scorpius_body = R"({"scan_results":[
  {"asset_id":"api-gateway-01","asset_type":"web_service",
   "vulnerabilities":[{"type":"weak_crypto","severity":"high","algorithm":"RSA-1024",
                       "location":"/api/auth"}],
   "quantum_risk_score":0.7,"timestamp":"2026-11-25T10:00:00","metadata":{}},
  {"target_id":"old-1","target_type":"contract","scan_time":"2026-11-25T10:00:00+00:00",
   "findings":[{"vulnerability_type":"weak_crypto","severity":"HIGH",
                "details":{"algorithm":"ECDSA P-256","location":"/sign","quantum_vulnerable":true}}],
   "risk_score":7.5,"scan_metadata":{"scanner":"legacy"}},
  {"asset_id":"slither-1","vulnerabilities":[
    {"id":"F1","title":"Reentrancy","category":"reentrancy","severity":"CRITICAL",
     "severity_value":4,"confidence":0.9,"swc_id":"SWC-107","cwe_id":841,"cvss_score":9.8,
     "cve_id":"CVE-2024-0001","cvss_vector":"CVSS:3.1/AV:N","exploited":true,
     "location":{"filename":"Vault.sol","line":42,"column":7},"vendor_note":"kept"},
    {"severity":"low","confidence":"Low","exploited":false},
    {}]},
  {"asset_id":"资产-Zürich-🔐","asset_type":"t\"a\\b\n\t\u0001\u0000z","vulnerabilities":[],
   "timestamp":"2026-01-02T03:04:05Z","quantum_risk_score":0,
   "metadata":{"nested":{"list":[0.1,1e-300,-0.0,0.09406831176283713,1.7976931348623157e308,
     5e-324,18446744073709551615,-9223372036854775808,true,false,null,"é"]},"deep":[[[[[]]]]]},
   "custom_tag":{"team":"blue"}}]})";

inline job make_job(operation op) {
  auto parsed = qs::protocol::parse_json(scorpius_body);
  REQUIRE(std::holds_alternative<json::value>(parsed));
  auto batch = qs::protocol::decode_batch(std::move(std::get<json::value>(parsed)), "scan_results");
  REQUIRE(batch.errors.empty());
  job work;
  work.op = op;
  work.request_id = "req-7f3a9c";
  work.route = "predict";
  work.idempotency_key = op == operation::train ? "" : "idem-ключ-1";
  work.idempotency_fingerprint = op == operation::train ? "" : "9f86d081884c7d65";
  work.received_at = "2026-11-25T10:00:01.123456";
  work.warnings = std::move(batch.warnings);
  work.model_type = op == operation::train ? "anomaly_detector" : "";
  for (const auto& r : batch.results)
    work.quantum_scores.push_back(r.quantum_risk_score.value_or(0.1 + 0.2));
  work.quantum_scores.push_back(-0.0);
  work.quantum_scores.push_back(std::numeric_limits<double>::denorm_min());
  work.quantum_scores.push_back(std::numeric_limits<double>::infinity());
  work.quantum_scores.push_back(std::numeric_limits<double>::quiet_NaN());
  work.results = std::move(batch.results);
  auto& v = work.results[2].vulnerabilities;
  REQUIRE(v.size() == 3);
  CHECK(v[0].cvss_score);
  CHECK(v[0].exploited == true);
  CHECK(v[1].exploited == false);
  CHECK(!v[2].exploited);
  CHECK(!v[2].confidence);
  CHECK(!work.results[1].quantum_risk_score);
  v[1].cvss_score = std::nextafter(5.0, 6.0);
  return work;
}

template<class T> T decoded(const qs::expected<T>& v) {
  if (!v)
    FAIL("decode failed: " << v.error().message);
  return *v;
}

template<class T> qs::error error_of(const qs::expected<T>& v) {
  REQUIRE_FALSE(v);
  return v.error();
}

// A valid encoding, changed by `edit`, encoded again.
template<class F> std::string edited(const std::string& bytes, F edit) {
  cbor_tree tree = cbor_tree::parse(bytes);
  edit(tree);
  return tree.encode();
}

} // namespace qs::test::wire_fixture
