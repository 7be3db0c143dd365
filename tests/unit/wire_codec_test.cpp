// The cluster wire codecs (CBOR): exact round trips of jobs, tasks, answers, batches
// and outcomes, and an error naming the field's path for every bad input.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>

#include <boost/json.hpp>

#include "actors/cluster/request_codec.hpp"
#include "actors/cluster/spool_legacy.hpp"
#include "actors/cluster/wire_codec.hpp"
#include "protocol/json_input.hpp"
#include "protocol/scan_result_codec.hpp"
#include "protocol/wire_errc.hpp"
#include "tests/support/cbor_tree.hpp"

namespace json = boost::json;
using namespace qs::actors;
using qs::protocol::scan_result;
using qs::protocol::vulnerability;
using qs::protocol::wire_errc;
using qs::test::cbor_tree;

namespace {

bool same(double a, double b) {
  return std::memcmp(&a, &b, sizeof a) == 0;
}
bool same(const std::optional<double>& a, const std::optional<double>& b) {
  return a.has_value() == b.has_value() && (!a || same(*a, *b));
}
bool same(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size())
    return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!same(a[i], b[i]))
      return false;
  return true;
}
// Equal as values, and written the same (so -0.0 is not 0.0 and order is kept).
bool same(const json::object& a, const json::object& b) {
  return a == b && json::serialize(a) == json::serialize(b);
}

} // namespace

// Comparisons for these tests only: doubles compare bit for bit.
namespace qs::protocol {
static bool operator==(const vulnerability& a, const vulnerability& b) {
  return a.type == b.type && a.level == b.level && a.algorithm == b.algorithm &&
         a.location == b.location && a.cwe_id == b.cwe_id && a.cve_id == b.cve_id &&
         a.cvss_vector == b.cvss_vector && a.swc_id == b.swc_id && a.title == b.title &&
         same(a.cvss_score, b.cvss_score) && same(a.confidence, b.confidence) &&
         a.exploited == b.exploited;
}
static bool operator==(const scan_result& a, const scan_result& b) {
  return a.asset_id == b.asset_id && a.asset_type == b.asset_type &&
         a.vulnerabilities == b.vulnerabilities &&
         same(a.quantum_risk_score, b.quantum_risk_score) && a.timestamp == b.timestamp &&
         same(a.metadata(), b.metadata()) && same(a.document, b.document);
}
static bool operator==(const finding_prediction& a, const finding_prediction& b) {
  return same(a.exploit_probability, b.exploit_probability) && a.cve_id == b.cve_id &&
         a.known_exploited == b.known_exploited && a.catalogued == b.catalogued;
}
static bool operator==(const prediction& a, const prediction& b) {
  return same(a.threat_score, b.threat_score) && a.threat_types == b.threat_types &&
         same(a.confidence, b.confidence) && a.mitigation_steps == b.mitigation_steps &&
         a.predicted_at == b.predicted_at && a.model_version == b.model_version &&
         a.findings == b.findings;
}
static bool operator==(const anomaly& a, const anomaly& b) {
  return a.is_anomaly == b.is_anomaly && same(a.anomaly_score, b.anomaly_score) &&
         a.anomaly_types == b.anomaly_types && same(a.confidence, b.confidence) &&
         a.detected_at == b.detected_at && a.details == b.details;
}
} // namespace qs::protocol

namespace qs::runtime::storage {
static bool operator==(const entry& a, const entry& b) {
  return a.id == b.id && a.asset_id == b.asset_id && a.request_id == b.request_id &&
         a.operation == b.operation && a.scan_timestamp == b.scan_timestamp &&
         a.stored_at == b.stored_at && a.scan_result == b.scan_result &&
         a.prediction == b.prediction && a.anomaly == b.anomaly;
}
static bool operator==(const training_example& a, const training_example& b) {
  return a.asset_id == b.asset_id && a.scan_result == b.scan_result && a.exploited == b.exploited &&
         a.stored_at == b.stored_at;
}
static bool operator==(const idempotent_answer& a, const idempotent_answer& b) {
  return a.key == b.key && a.route == b.route && a.status == b.status && a.body == b.body &&
         a.fingerprint == b.fingerprint;
}
static bool operator==(const write_batch& a, const write_batch& b) {
  return a.request_id == b.request_id && a.entries == b.entries && a.examples == b.examples &&
         a.answer == b.answer;
}
} // namespace qs::runtime::storage

namespace qs::actors {
static bool operator==(const job& a, const job& b) {
  return a.op == b.op && a.request_id == b.request_id && a.route == b.route &&
         a.idempotency_key == b.idempotency_key &&
         a.idempotency_fingerprint == b.idempotency_fingerprint && a.received_at == b.received_at &&
         a.results == b.results && same(a.quantum_scores, b.quantum_scores) &&
         a.warnings == b.warnings && a.model_type == b.model_type;
}
static bool operator==(const job_outcome& a, const job_outcome& b) {
  return a.status == b.status && a.body == b.body && a.degraded == b.degraded &&
         a.degraded_reasons == b.degraded_reasons && a.failure == b.failure;
}
} // namespace qs::actors

namespace {

// Every shape Scorpius sends, with every optional both set and unset.
const char* scorpius_body = R"({"scan_results":[
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

job make_job(operation op) {
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

} // namespace

TEST_CASE("wire codec: a job decoded from a Scorpius request round-trips exactly", "[wire]") {
  for (auto op :
       {operation::predict, operation::detect_anomalies, operation::enhance, operation::train}) {
    const job work = make_job(op);
    const std::string text = wire::encode_job(work);
    const job_ptr back = decoded(wire::decode_job(text));
    REQUIRE(back);
    CHECK(*back == work);
    CHECK(back->results[3].asset_id == "资产-Zürich-🔐");
    CHECK(back->results[3].document.at("custom_tag").at("team") == "blue");
    CHECK(wire::encode_job(*back) == text); // one encoding per value
  }
}

TEST_CASE("wire codec: doubles survive bit for bit, and documents keep their depth and bytes",
          "[wire]") {
  std::mt19937_64 rng(7);
  job work;
  json::array doubles;
  while (work.quantum_scores.size() < 20000) {
    std::uint64_t bits = rng();
    double d;
    std::memcpy(&d, &bits, sizeof d);
    if (work.quantum_scores.size() % 2)
      d = std::uniform_real_distribution<double>(0, 1)(rng);
    if (std::isfinite(d))
      work.quantum_scores.push_back(d), doubles.push_back(d);
  }
  scan_result r;
  r.asset_id = std::string("\xff\xfe bytes \xc3", 10); // not UTF-8: kept anyway
  json::object metadata;
  metadata["doubles"] = std::move(doubles);
  metadata["infinities"] = json::array(
      {std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity()});
  r.document["metadata"] = std::move(metadata);
  json::value deep = json::array();
  for (int i = 0; i < 200; ++i)
    deep = json::array({std::move(deep)});
  r.document["deep"] = std::move(deep);
  // Boost.JSON's kinds are kept: a uint64 of a small value stays a uint64.
  r.document["counts"] = json::array(
      {std::uint64_t{7}, std::int64_t{7}, 7.0, std::numeric_limits<std::uint64_t>::max()});
  work.results.push_back(std::move(r));
  const job_ptr back = decoded(wire::decode_job(wire::encode_job(work)));
  CHECK(*back == work);
  const auto& counts = back->results[0].document.at("counts").as_array();
  CHECK(counts[0].is_uint64());
  CHECK(counts[1].is_int64());
  CHECK(counts[2].is_double());
  CHECK(counts[3].is_uint64());
}

TEST_CASE("wire codec: doubles like 0.1, 1e-310, NaN and infinity are float64, bit for bit",
          "[wire]") {
  std::vector<qs::protocol::prediction> items(1);
  for (double d : {0.1, 1e-310, -0.0, std::numeric_limits<double>::quiet_NaN(),
                   std::numeric_limits<double>::infinity(),
                   -std::numeric_limits<double>::infinity(), 0.1 + 0.2}) {
    items[0].threat_score = d;
    items[0].confidence = std::nextafter(d, 0.0);
    const std::string bytes = wire::encode_predictions(items);
    std::uint64_t bits = 0;
    std::memcpy(&bits, &d, sizeof bits);
    std::string float64(1, '\xfb');
    for (int i = 7; i >= 0; --i)
      float64 += static_cast<char>((bits >> (8 * i)) & 0xff);
    CHECK(bytes.find(float64) != std::string::npos); // native float64, not text
    CHECK(decoded(wire::decode_predictions(bytes)) == items);
  }
}

TEST_CASE("wire codec: a task carries just its slice's results, renumbered", "[wire]") {
  job work = make_job(operation::enhance);
  for (int copy = 0; copy < 2; ++copy)
    for (std::size_t i = 0; i < 4; ++i) {
      work.results.push_back(work.results[i]);
      work.results.back().asset_id += "-copy" + std::to_string(copy);
    }
  auto shared = std::make_shared<const job>(work);
  const slice part{shared, {7, 2, 3, 10}};
  const slice back = decoded(wire::decode_task(wire::encode_task(part)));
  REQUIRE(back.work);
  CHECK(back.work->op == operation::enhance);
  CHECK(back.work->request_id == work.request_id);
  CHECK(back.indices == std::vector<std::size_t>{0, 1, 2, 3});
  REQUIRE(back.work->results.size() == 4);
  for (std::size_t k = 0; k < 4; ++k)
    CHECK(back.work->results[k] == work.results[part.indices[k]]);
  CHECK(back.work->quantum_scores.empty());

  const slice none = decoded(wire::decode_task(wire::encode_task(slice{shared, {}})));
  CHECK(none.work->results.empty());
  CHECK(none.indices.empty());
  CHECK_THROWS_AS(wire::encode_task(slice{shared, {99}}), std::out_of_range);
  CHECK_THROWS_AS(wire::encode_task(slice{}), std::invalid_argument);
}

TEST_CASE("wire codec: predictions and anomalies round-trip exactly", "[wire]") {
  std::vector<qs::protocol::prediction> predictions(3);
  predictions[0] = {0.8347,
                    {"quantum_decryption", "shor"},
                    0.85,
                    {"Migrate to ML-KEM"},
                    "2026-11-25T10:00:00.123456",
                    "rules-1.2",
                    {{"CVE-2017-0144", 1.0, true, true}, {"", 1.25e-7, false, false}}};
  predictions[1].threat_score = 1.0 / 3;
  predictions[1].confidence = std::numeric_limits<double>::infinity();
  predictions[2] = {-0.0, {""}, 5e-324, {"ünïcödé \"steps\"\n"}, "", "", {}};
  CHECK(decoded(wire::decode_predictions(wire::encode_predictions(predictions))) == predictions);
  CHECK(decoded(wire::decode_predictions(wire::encode_predictions({}))).empty());

  std::vector<qs::protocol::anomaly> anomalies(2);
  anomalies[0] = {true,
                  0.7,
                  {"deprecated_usage", "drift"},
                  0.9,
                  "2026-11-25T10:00:00",
                  {"MD5 is deprecated", "RC4 \u2192 broken"}};
  anomalies[1].anomaly_score = std::nextafter(0.5, 1.0);
  CHECK(decoded(wire::decode_anomalies(wire::encode_anomalies(anomalies))) == anomalies);
  CHECK(decoded(wire::decode_anomalies(wire::encode_anomalies({}))).empty());
}

TEST_CASE("wire codec: write batches round-trip exactly, with and without an answer", "[wire]") {
  using namespace qs::runtime::storage;
  write_batch batch;
  batch.request_id = "req-1";
  batch.entries.push_back({std::numeric_limits<std::int64_t>::max(), "api-gateway-01", "req-1",
                           "enhance", "2026-11-25T10:00:00", "2026-11-25T10:00:01",
                           R"({"asset_id":"api-gateway-01","metadata":{"k":"v\u00e9"}})",
                           R"({"threat_score":0.8})", ""});
  batch.entries.push_back({});
  batch.examples.push_back({"a", R"({"asset_id":"a"})", true, "2026-11-25T10:00:01"});
  batch.examples.push_back({"b", "{}", false, ""});
  batch.examples.push_back({"c", "{}", std::nullopt, ""});
  batch.answer = idempotent_answer{"idem-1", "predict", 200, R"({"predictions":[]})", "3f2a"};
  CHECK(decoded(wire::decode_batch(wire::encode_batch(batch))) == batch);
  // Stored JSON text travels as bytes, as it is, even when it is not UTF-8.
  batch.entries[1].scan_result = std::string("{\"a\":\"\xff\0\"}", 10);
  CHECK(decoded(wire::decode_batch(wire::encode_batch(batch))) == batch);
  batch.answer.reset();
  CHECK(decoded(wire::decode_batch(wire::encode_batch(batch))) == batch);
  CHECK(decoded(wire::decode_batch(wire::encode_batch(write_batch{}))) == write_batch{});
}

TEST_CASE("wire codec: job outcomes round-trip exactly; a failure is a REPLY's error, not an "
          "outcome",
          "[wire]") {
  job_outcome full{503,
                   R"({"error":{"code":"x","message":"\"quoted\""}})",
                   true,
                   {"predictor: timed out", "anomaly: 1 of 2 shards failed"},
                   ""};
  CHECK(decoded(wire::decode_outcome(wire::encode_outcome(full))) == full);
  CHECK(decoded(wire::decode_outcome(wire::encode_outcome(job_outcome{}))) == job_outcome{});
  // The body is the HTTP body's bytes, a byte string (not JSON text in a string).
  const auto tree = cbor_tree::parse(wire::encode_outcome(full));
  CHECK(const_cast<cbor_tree&>(tree).at("body").kind == qs::protocol::cbor::kind::bytes);
}

TEST_CASE("wire codec: a model and the cluster view cross as bytes and as a document", "[wire]") {
  const std::string model_file("\x1f\x8b\x08\0binary", 10);
  auto offer = decoded(wire::decode_model_answer(
      wire::encode_model_answer(wire::model_offer{"20261201-1", model_file})));
  REQUIRE(offer);
  CHECK(offer->version == "20261201-1");
  CHECK(offer->model == model_file); // no hex
  CHECK_FALSE(decoded(wire::decode_model_answer(wire::encode_model_answer(std::nullopt))));
  CHECK(decoded(wire::decode_model_request(wire::encode_model_request({"v-1"}))).have == "v-1");

  const json::value view =
      json::parse(R"({"nodes":[{"id":"a","tasks_done":3}],"dead_letters":[]})");
  CHECK(decoded(wire::decode_cluster_view(wire::encode_cluster_view(view))) == view);
  CHECK(wire::decode_cluster_request(wire::encode_cluster_request()));
  CHECK(wire::decode_done(wire::encode_done()));
  CHECK(error_of(wire::decode_done(wire::encode_cluster_request())).message ==
        "reply.value: expected null, got a map");
}

TEST_CASE("wire codec: a spool entry of protocol version 1 (JSON) is still read", "[wire]") {
  const std::string v1 =
      R"({"request_id":"req-1","entries":[{"id":0,"asset_id":"a","request_id":"req-1",)"
      R"("operation":"predict","scan_timestamp":"t","stored_at":"s","scan_result":"{\"x\":1}",)"
      R"("prediction":"","anomaly":""}],"examples":[{"asset_id":"a","scan_result":"{}",)"
      R"("exploited":null,"stored_at":""}],"answer":{"key":"k","route":"predict","status":200,)"
      R"("body":"{}"}})";
  REQUIRE(wire::is_v1_batch(v1));
  const auto batch = decoded(wire::decode_v1_batch(v1));
  CHECK(batch.request_id == "req-1");
  REQUIRE(batch.entries.size() == 1);
  CHECK(batch.entries[0].scan_result == R"({"x":1})");
  REQUIRE(batch.examples.size() == 1);
  CHECK_FALSE(batch.examples[0].exploited);
  REQUIRE(batch.answer);
  CHECK(batch.answer->status == 200);
  CHECK(batch.answer->fingerprint.empty());
  CHECK_FALSE(wire::is_v1_batch(wire::encode_batch(batch)));
  CHECK(error_of(wire::decode_v1_batch(R"({"request_id":"r","entries":[5]})")).message ==
        "batch.entries[0]: expected an object");
}

TEST_CASE("wire codec: bad wire input is refused with its path and code", "[wire]") {
  const job base = make_job(operation::predict);
  const std::string job_bytes = wire::encode_job(base);
  auto job_error = [&](auto edit) {
    return error_of(wire::decode_job(edited(job_bytes, edit))).message;
  };
  using t = cbor_tree;

  for (const std::string& bytes : {std::string(), std::string("\xa1"), job_bytes + "x",
                                   job_bytes.substr(0, job_bytes.size() / 2)}) {
    const auto e = error_of(wire::decode_job(bytes));
    CHECK(e == wire_errc::malformed);
    CHECK(e.message.rfind("job", 0) == 0);
  }
  CHECK(error_of(wire::decode_job("\x80")).message == "job: expected a map, got an array");
  CHECK(error_of(wire::decode_job("\x80")) == wire_errc::bad_field);
  CHECK(job_error([](t& j) { j.at("results").at(3) = t::unsigned_int(5); }) ==
        "job.results[3]: expected a map, got an unsigned integer");
  CHECK(job_error([](t& j) { j.at("results").at(3).at("asset_id") = t::array(); }) ==
        "job.results[3].asset_id: expected a text string, got an array");
  CHECK(job_error([](t& j) { j.erase("op"); }) == "job.op: is missing");
  CHECK(job_error([](t& j) { j.at("op") = t::unsigned_int(4); }) == "job.op: unknown code 4");
  CHECK(job_error([](t& j) { j.at("op") = t::text("predict"); }) ==
        "job.op: expected an unsigned integer, got a text string");
  CHECK(job_error([](t& j) {
          j.at("results").at(2).at("vulnerabilities").at(1).erase("severity");
        }) == "job.results[2].vulnerabilities[1].severity: is missing");
  CHECK(job_error([](t& j) {
          j.at("results").at(0).at("vulnerabilities").at(0).at("severity") = t::unsigned_int(5);
        }) == "job.results[0].vulnerabilities[0].severity: unknown code 5");
  CHECK(job_error([](t& j) {
          j.at("results").at(2).at("vulnerabilities").at(0).at("exploited") = t::text("yes");
        }) == "job.results[2].vulnerabilities[0].exploited: expected a boolean, got a text string");
  CHECK(job_error([](t& j) {
          j.at("results").at(1).at("quantum_risk_score") = t::boolean(true);
        }) == "job.results[1].quantum_risk_score: expected a float64, got a boolean");
  CHECK(job_error([](t& j) { j.at("results").at(0).at("document") = t::array(); }) ==
        "job.results[0].document: expected a map, got an array");
  CHECK(job_error([](t& j) {
          j.at("results").at(3).at("document").at("metadata").at("nested").at("list").at(0) =
              t::map().set("k", t::float64(1)).set("k", t::null());
        }) == "job.results[3].document.metadata.nested.list[0].k: appears twice in its map");
  CHECK(job_error([](t& j) { j.at("quantum_scores").at(2) = t::text("high"); }) ==
        "job.quantum_scores[2]: expected a float64, got a text string");
  CHECK(job_error([](t& j) { j.at("warnings") = t::text("x"); }) ==
        "job.warnings: expected an array, got a text string");
  CHECK(job_error([](t& j) { j.at("request_id") = t::unsigned_int(7); }) ==
        "job.request_id: expected a text string, got an unsigned integer");
  // Unknown fields are ignored, anywhere: a newer node may add some.
  const auto newer = decoded(wire::decode_job(edited(job_bytes, [](t& j) {
    j.set("priority", t::unsigned_int(1));
    j.at("results").at(0).set("new_field", t::array());
  })));
  CHECK(*newer == base);
  // The root names where the bytes came from.
  CHECK(error_of(wire::decode_job("\x80", "request_job")).message ==
        "request_job: expected a map, got an array");

  auto work = std::make_shared<const job>(make_job(operation::detect_anomalies));
  const std::string task_bytes = wire::encode_task(slice{work, {0, 2}});
  CHECK(error_of(wire::decode_task(edited(task_bytes, [](t& x) { x.erase("results"); }))).message ==
        "task.payload.results: is missing");
  CHECK(error_of(wire::decode_task(edited(task_bytes, [](t& x) {
          x.at("results").at(1).at("asset_id") = t::array();
        }))).message == "task.payload.results[1].asset_id: expected a text string, got an array");

  const std::string predictions =
      wire::encode_predictions(std::vector<qs::protocol::prediction>(2));
  CHECK(error_of(wire::decode_predictions("\xa0")).message ==
        "predictions: expected an array, got a map");
  CHECK(error_of(wire::decode_predictions(
                     edited(predictions,
                            [](t& p) {
                              p.at(0).at("threat_types") = t::array();
                              p.at(0).at("threat_types").items.push_back(t::unsigned_int(1));
                            })))
            .message == "predictions[0].threat_types[0]: expected a text string, got an unsigned "
                        "integer");
  CHECK(error_of(wire::decode_predictions(edited(predictions, [](t& p) {
          p.at(1).erase("model_version");
        }))).message == "predictions[1].model_version: is missing");
  CHECK(error_of(wire::decode_anomalies(
                     edited(wire::encode_anomalies(std::vector<qs::protocol::anomaly>(1)),
                            [](t& a) { a.at(0).at("is_anomaly") = t::text("yes"); })))
            .message == "anomalies[0].is_anomaly: expected a boolean, got a text string");

  qs::runtime::storage::write_batch batch;
  batch.entries.resize(1);
  batch.answer = qs::runtime::storage::idempotent_answer{};
  const std::string batch_bytes = wire::encode_batch(batch);
  auto batch_error = [&](auto edit) {
    return error_of(wire::decode_batch(edited(batch_bytes, edit))).message;
  };
  CHECK(batch_error([](t& b) { b.at("answer").at("status") = t::negative(-1); }) ==
        "batch.answer.status: expected an integer from 0 to 4294967295, got -1");
  CHECK(batch_error([](t& b) { b.at("entries").at(0).at("id") = t::float64(1.5); }) ==
        "batch.entries[0].id: expected an integer from -9223372036854775808 to "
        "9223372036854775807, got a float64");
  CHECK(batch_error([](t& b) { b.at("entries").at(0).at("scan_result") = t::text("{}"); }) ==
        "batch.entries[0].scan_result: expected a byte string, got a text string");
  CHECK(batch_error([](t& b) { b.at("answer") = t::unsigned_int(3); }) ==
        "batch.answer: expected a map, got an unsigned integer");
  CHECK(batch_error([](t& b) {
          b.at("examples") = t::array();
          b.at("examples").items.push_back(t::map());
        }) == "batch.examples[0].asset_id: is missing");

  const std::string outcome_bytes = wire::encode_outcome({});
  CHECK(error_of(wire::decode_outcome(edited(outcome_bytes, [](t& o) {
          o.at("degraded") = t::unsigned_int(0);
        }))).message == "outcome.degraded: expected a boolean, got an unsigned integer");
  CHECK(error_of(wire::decode_outcome(edited(outcome_bytes, [](t& o) {
          o.at("status") = t::unsigned_int(4294967296);
        }))).message == "outcome.status: expected an integer from 0 to 4294967295, got 4294967296");
}
