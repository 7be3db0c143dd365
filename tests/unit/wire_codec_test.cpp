// The cluster wire codecs: exact round trips of jobs, tasks, answers, batches
// and outcomes, and one sentence naming the field for every bad input.
#include <catch2/catch.hpp>

#include <chrono>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>

#include <boost/json.hpp>

#include "actors/cluster/wire_codec.hpp"
#include "protocol/json_input.hpp"
#include "protocol/scan_result_codec.hpp"

namespace json = boost::json;
using namespace qs::actors;
using qs::protocol::scan_result;
using qs::protocol::vulnerability;

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
  return a.key == b.key && a.route == b.route && a.status == b.status && a.body == b.body;
}
static bool operator==(const write_batch& a, const write_batch& b) {
  return a.request_id == b.request_id && a.entries == b.entries && a.examples == b.examples &&
         a.answer == b.answer;
}
} // namespace qs::runtime::storage

namespace qs::actors {
static bool operator==(const job& a, const job& b) {
  return a.op == b.op && a.request_id == b.request_id && a.route == b.route &&
         a.idempotency_key == b.idempotency_key && a.received_at == b.received_at &&
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

template<class T> T decoded(const std::variant<T, std::string>& v) {
  if (auto* error = std::get_if<std::string>(&v))
    FAIL("decode failed: " << *error);
  return std::get<T>(v);
}

template<class T> std::string error_of(const std::variant<T, std::string>& v) {
  REQUIRE(std::holds_alternative<std::string>(v));
  return std::get<std::string>(v);
}

// A valid encoding, changed by `edit`, as text again.
template<class F> std::string edited(const std::string& text, F edit) {
  json::value v = json::parse(text);
  edit(v);
  return json::serialize(v);
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
    CHECK(wire::encode_job(*back) == text);
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
  work.results.push_back(std::move(r));
  const job_ptr back = decoded(wire::decode_job(wire::encode_job(work)));
  CHECK(*back == work);
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
  batch.answer.reset();
  CHECK(decoded(wire::decode_batch(wire::encode_batch(batch))) == batch);
  CHECK(decoded(wire::decode_batch(wire::encode_batch(write_batch{}))) == write_batch{});
}

TEST_CASE("wire codec: job outcomes round-trip exactly", "[wire]") {
  job_outcome full{503,
                   R"({"error":{"code":"x","message":"\"quoted\""}})",
                   true,
                   {"predictor: timed out", "anomaly: 1 of 2 shards failed"},
                   "no workers"};
  CHECK(decoded(wire::decode_outcome(wire::encode_outcome(full))) == full);
  CHECK(decoded(wire::decode_outcome(wire::encode_outcome(job_outcome{}))) == job_outcome{});
}

TEST_CASE("wire codec: bad wire input is refused with a sentence naming the field", "[wire]") {
  job base = make_job(operation::predict);
  base.quantum_scores.resize(base.results.size()); // json::serialize writes inf as "Infinity"
  const std::string job_text = wire::encode_job(base);
  auto job_error = [&](auto edit) { return error_of(wire::decode_job(edited(job_text, edit))); };
  using v = json::value;

  for (const char* text : {"", "not json", "{\"op\":", "{} trailing"})
    CHECK_THAT(error_of(wire::decode_job(text)), Catch::StartsWith("job is not valid JSON"));
  CHECK(error_of(wire::decode_job("[]")) == "job must be an object");
  CHECK(job_error([](v& j) { j.at("results").as_array()[3] = 5; }) ==
        R"(job field "results[3]" must be an object)");
  CHECK(job_error([](v& j) { j.as_object().erase("op"); }) == R"(job field "op" is missing)");
  CHECK(job_error([](v& j) { j.at("op") = "scan"; }) ==
        R"(job field "op" must be one of predict, detect-anomalies, enhance, train)");
  CHECK(job_error([](v& j) {
          j.at("results").at(2).at("vulnerabilities").at(1).as_object().erase("severity");
        }) == R"(job field "results[2].vulnerabilities[1].severity" is missing)");
  CHECK(
      job_error([](v& j) {
        j.at("results").at(0).at("vulnerabilities").at(0).at("severity") = "urgent";
      }) ==
      R"(job field "results[0].vulnerabilities[0].severity" must be one of info, low, medium, high, critical)");
  CHECK(job_error([](v& j) {
          j.at("results").at(2).at("vulnerabilities").at(0).at("exploited") = "yes";
        }) == R"(job field "results[2].vulnerabilities[0].exploited" must be a boolean)");
  CHECK(job_error([](v& j) { j.at("results").at(1).at("quantum_risk_score") = true; }) ==
        R"(job field "results[1].quantum_risk_score" must be a number)");
  CHECK(job_error([](v& j) { j.at("results").at(0).at("document") = json::array(); }) ==
        R"(job field "results[0].document" must be an object)");
  CHECK(job_error([](v& j) { j.at("quantum_scores").as_array()[2] = "high"; }) ==
        R"(job field "quantum_scores[2]" must be a number)");
  CHECK(job_error([](v& j) { j.at("warnings") = "x"; }) ==
        R"(job field "warnings" must be an array)");
  CHECK(job_error([](v& j) { j.at("request_id") = 7; }) ==
        R"(job field "request_id" must be a string)");
  // Unknown members are ignored: a newer node may add some.
  CHECK(decoded(wire::decode_job(edited(job_text, [](v& j) { j.as_object()["new"] = 1; }))) !=
        nullptr);

  auto work = std::make_shared<const job>(make_job(operation::detect_anomalies));
  const std::string task_text = wire::encode_task(slice{work, {0, 2}});
  CHECK(error_of(wire::decode_task(edited(task_text, [](v& t) {
          t.as_object().erase("results");
        }))) == R"(task field "results" is missing)");
  CHECK(error_of(wire::decode_task(edited(task_text, [](v& t) { t.at("op") = "Predict"; }))) ==
        R"(task field "op" must be one of predict, detect-anomalies, enhance, train)");

  const std::string predictions =
      wire::encode_predictions(std::vector<qs::protocol::prediction>(2));
  CHECK(error_of(wire::decode_predictions("{}")) == "predictions must be an array");
  CHECK(error_of(wire::decode_predictions(edited(predictions, [](v& p) {
          p.at(0).at("threat_types") = json::array({1});
        }))) == R"(predictions field "[0].threat_types[0]" must be a string)");
  CHECK(error_of(wire::decode_predictions(edited(predictions, [](v& p) {
          p.at(1).as_object().erase("model_version");
        }))) == R"(predictions field "[1].model_version" is missing)");
  CHECK(error_of(wire::decode_predictions(edited(predictions, [](v& p) {
          p.at(1).at("threat_score") = "Infinityy";
        }))) == R"(predictions field "[1].threat_score" must be a number)");
  CHECK(error_of(wire::decode_anomalies(
            edited(wire::encode_anomalies(std::vector<qs::protocol::anomaly>(1)), [](v& a) {
              a.at(0).at("is_anomaly") = "yes";
            }))) == R"(anomalies field "[0].is_anomaly" must be a boolean)");

  qs::runtime::storage::write_batch batch;
  batch.entries.resize(1);
  batch.answer = qs::runtime::storage::idempotent_answer{};
  const std::string batch_text = wire::encode_batch(batch);
  auto batch_error = [&](auto edit) {
    return error_of(wire::decode_batch(edited(batch_text, edit)));
  };
  CHECK(batch_error([](v& b) { b.at("answer").at("status") = -1; }) ==
        R"(batch field "answer.status" must be an integer from 0 to 4294967295)");
  CHECK(
      batch_error([](v& b) { b.at("entries").at(0).at("id") = 1.5; }) ==
      R"(batch field "entries[0].id" must be an integer from -9223372036854775808 to 9223372036854775807)");
  CHECK(batch_error([](v& b) { b.at("answer") = 3; }) ==
        R"(batch field "answer" must be an object)");
  CHECK(batch_error([](v& b) { b.at("examples") = json::array({json::object()}); }) ==
        R"(batch field "examples[0].asset_id" is missing)");

  const std::string outcome_text = wire::encode_outcome({});
  CHECK(error_of(wire::decode_outcome(edited(outcome_text, [](v& o) { o.at("degraded") = 0; }))) ==
        R"(outcome field "degraded" must be a boolean)");
  CHECK(error_of(wire::decode_outcome(edited(outcome_text, [](v& o) {
          o.at("status") = 4294967296LL;
        }))) == R"(outcome field "status" must be an integer from 0 to 4294967295)");
  CHECK(error_of(wire::decode_outcome(edited(outcome_text, [](v& o) {
          o.as_object().erase("failure");
        }))) == R"(outcome field "failure" is missing)");
}

TEST_CASE("wire codec: speed on a 10-result job", "[.][wire][bench]") {
  job work = make_job(operation::enhance);
  while (work.results.size() < 10)
    work.results.push_back(work.results[work.results.size() % 4]);
  const std::string text = wire::encode_job(work);
  // Microseconds per call, the best of 50 runs of 20: other processes only slow runs down.
  auto time = [](auto call) {
    double best = 1e9;
    for (int run = 0; run < 50; ++run) {
      const auto start = std::chrono::steady_clock::now();
      for (int i = 0; i < 20; ++i)
        call();
      const std::chrono::duration<double, std::micro> took =
          std::chrono::steady_clock::now() - start;
      best = std::min(best, took.count() / 20);
    }
    return best;
  };
  std::size_t sink = 0;
  const double encode = time([&] { sink += wire::encode_job(work).size(); });
  const double decode =
      time([&] { sink += std::get<job_ptr>(wire::decode_job(text))->op == operation::enhance; });
  const double boost = time([&] { sink += json::serialize(json::parse(text)).size(); });
  WARN(text.size() << " bytes; encode " << encode << " us, decode " << decode
                   << " us; for scale, Boost parse + serialize " << boost << " us (" << sink
                   << ")");
}
