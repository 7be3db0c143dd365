#include "tools/bench_limit/predict_answer.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <vector>

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace qs::bench_limit {

namespace json = boost::json;

namespace {

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == y;
         });
}

/// The trivial score: a finding's severity as a weight (absent or unknown: medium).
double severity_weight(std::string_view severity) {
  if (equals_ignoring_case(severity, "critical"))
    return 1.0;
  if (equals_ignoring_case(severity, "high"))
    return 0.8;
  if (equals_ignoring_case(severity, "low"))
    return 0.2;
  if (equals_ignoring_case(severity, "info") || equals_ignoring_case(severity, "informational"))
    return 0.05;
  return 0.5;
}

/// Four decimals, as qscan rounds its scores.
double rounded(double x) {
  return std::round(x * 10000) / 10000;
}

/// A string member, or "" when it is absent or not a string.
std::string_view string_member(const json::object& o, std::string_view key) {
  if (const auto* v = o.if_contains(key))
    if (const auto* s = v->if_string())
      return *s;
  return {};
}

std::string_view replacement_for(std::string_view type) {
  if (type == "weak_hash")
    return "SHA-384";
  if (type == "weak_symmetric")
    return "AES-256-GCM";
  return "ML-KEM-768";
}

/// Now, ISO 8601 with microseconds and +00:00, as qscan writes predicted_at.
std::string now_iso8601() {
  const auto now = std::chrono::system_clock::now();
  const auto seconds = std::chrono::system_clock::to_time_t(now);
  const auto micros =
      std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count() %
      1000000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[96];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%06lld+00:00", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                static_cast<long long>(micros));
  return text;
}

const json::array no_findings;
const json::object no_result;

json::object predict_one(const json::object& result, std::string_view now,
                         const json::storage_ptr& sp) {
  json::array types(sp);
  json::array steps(sp);
  json::array per_finding(sp);
  std::vector<std::string_view> algorithms; // one mitigation step per algorithm
  double top = 0;
  std::size_t count = 0;
  const json::array* findings = &no_findings;
  if (const auto* v = result.if_contains("vulnerabilities"); v && v->is_array())
    findings = &v->get_array();
  for (const auto& item : *findings) {
    const auto* finding = item.if_object();
    if (!finding)
      continue;
    ++count;
    const double weight = severity_weight(string_member(*finding, "severity"));
    top = std::max(top, weight);
    const auto type = string_member(*finding, "type");
    if (!type.empty() && std::none_of(types.begin(), types.end(),
                                      [&](const json::value& t) { return t.get_string() == type; }))
      types.emplace_back(type);
    const auto algorithm = string_member(*finding, "algorithm");
    if (!algorithm.empty() && type != "pqc_deployed" &&
        std::find(algorithms.begin(), algorithms.end(), algorithm) == algorithms.end()) {
      algorithms.push_back(algorithm);
      std::string step = "Replace ";
      step.append(algorithm)
          .append(" at ")
          .append(string_member(*finding, "location"))
          .append(" with ")
          .append(replacement_for(type))
          .append(" (")
          .append(algorithm)
          .append(" is weak or broken by Shor's algorithm; NIST IR 8547 disallows it after 2035)");
      steps.emplace_back(std::string_view(step));
    }
    json::object scored(sp);
    scored.emplace("exploit_probability", rounded(weight * weight / 100));
    scored.emplace("known_exploited", false);
    scored.emplace("catalogued", false);
    per_finding.emplace_back(std::move(scored));
  }

  json::object p(sp);
  p.emplace("asset_id", string_member(result, "asset_id"));
  p.emplace("threat_score", top);
  p.emplace("threat_types", std::move(types));
  p.emplace("confidence",
            rounded(0.3 + 0.1 * static_cast<double>(std::min<std::size_t>(count, 6))));
  p.emplace("mitigation_steps", std::move(steps));
  p.emplace("predicted_at", now);
  p.emplace("model_version", "bench-limit-1");
  p.emplace("findings", std::move(per_finding));
  return p;
}

std::string error_body(std::string_view code, std::string_view message) {
  json::object detail{{"code", code}, {"message", message}, {"details", json::array()}};
  return json::serialize(json::object{{"error", std::move(detail)}});
}

} // namespace

predict_answer answer_predict(std::string_view body, std::string_view request_id) {
  // One arena per request for the parsed body and the answer: freed at once.
  json::monotonic_resource arena;
  const json::storage_ptr sp(&arena);
  boost::system::error_code ec;
  const json::value request = json::parse(body, ec, sp);
  if (ec)
    return {400, error_body("invalid_json", "the body is not JSON: " + ec.message())};
  const json::array* results = nullptr;
  if (const auto* o = request.if_object())
    if (const auto* v = o->if_contains("scan_results"))
      results = v->if_array();
  if (!results)
    return {422, error_body("invalid_request", "expected {\"scan_results\": [...]}")};

  const std::string now = now_iso8601();
  json::array predictions(sp);
  predictions.reserve(results->size());
  for (const auto& item : *results) {
    const auto* result = item.if_object();
    predictions.emplace_back(predict_one(result ? *result : no_result, now, sp));
  }
  json::object answer(sp);
  answer.emplace("predictions", std::move(predictions));
  answer.emplace("request_id", request_id);
  answer.emplace("degraded", false);
  return {200, json::serialize(answer)};
}

} // namespace qs::bench_limit
