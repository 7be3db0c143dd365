#include "actors/bridge/http_api.hpp"

#include <cctype>
#include <cstdio>
#include <random>

#include <caf/all.hpp>

#include "actors/analytics/quantum_risk.hpp"
#include "actors/bridge/responses.hpp"
#include "protocol/answer_codec.hpp"
#include "protocol/timestamp.hpp"
#include "runtime/metrics/registry.hpp"

namespace qs::actors {

namespace http = runtime::http;

namespace {

bool json_content_type(std::string_view value) {
  if (value.empty())
    return true; // lenient: a body without a declared type is read as JSON
  auto semi = value.find(';');
  auto media = value.substr(0, semi);
  while (!media.empty() && media.back() == ' ')
    media.remove_suffix(1);
  std::string lower(media);
  for (auto& c : lower)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower == "application/json" ||
         (lower.size() > 5 && lower.rfind("+json") == lower.size() - 5);
}

// `allow` is a comma-separated list such as "GET, POST".
bool method_allowed(std::string_view allow, std::string_view method) {
  while (!allow.empty()) {
    auto comma = allow.find(',');
    auto token = allow.substr(0, comma);
    while (!token.empty() && token.front() == ' ')
      token.remove_prefix(1);
    if (token == method)
      return true;
    if (comma == std::string_view::npos)
      break;
    allow.remove_prefix(comma + 1);
  }
  return false;
}

// Wraps `respond` so every answer is counted and timed, and carries the request id.
http::respond_fn instrumented(http::respond_fn respond, std::string route, std::string request_id,
                              std::chrono::steady_clock::time_point started,
                              std::atomic<std::int64_t>& in_flight) {
  ++in_flight;
  return [respond = std::move(respond), route = std::move(route),
          request_id = std::move(request_id), started, &in_flight](http::response r) {
    --in_flight;
    auto& m = runtime::metrics::global();
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const std::string labels = "route=\"" + route + "\"";
    m.add("qscan_http_requests_total", labels + ",status=\"" + std::to_string(r.status) + "\"");
    m.observe("qscan_http_request_duration_seconds", labels, seconds);
    r.headers.emplace_back("X-Request-Id", request_id);
    respond(std::move(r));
  };
}

} // namespace

http_api::http_api(http_api_config cfg, caf::actor bridge,
                   std::shared_ptr<runtime::storage::storage> db)
    : cfg_(std::move(cfg)), bridge_(std::move(bridge)), db_(std::move(db)),
      started_(std::chrono::steady_clock::now()), started_at_(protocol::now_iso8601()) {
  auto& m = runtime::metrics::global();
  m.describe("qscan_http_requests_total", "counter", "HTTP requests answered, by route and status");
  m.describe("qscan_http_request_duration_seconds", "histogram",
             "Time from a request's arrival to its answer, by route");
  m.describe("qscan_degraded_answers_total", "counter",
             "Answers given from the bridge's local fallback");
  m.describe("qscan_actor_restarts_total", "counter", "Workers restarted by their supervisor");
  m.describe("qscan_http_requests_in_flight", "gauge", "Requests being answered now");
  m.add("qscan_degraded_answers_total", "", 0);
}

std::string http_api::next_request_id() {
  // A random prefix per process keeps ids unique across restarts; stored
  // batches are deduplicated by this id.
  static const std::string prefix = [] {
    std::random_device entropy;
    char buf[24];
    std::snprintf(buf, sizeof buf, "%08x%08x", entropy(), entropy());
    return std::string(buf);
  }();
  return "req-" + prefix + "-" + std::to_string(++request_counter_);
}

void http_api::handle(http::request req, http::respond_fn respond) {
  const auto started = std::chrono::steady_clock::now();
  const auto route = match_route(req.path());
  auto request_id = next_request_id();
  respond = instrumented(std::move(respond), route.name, request_id, started, in_flight_);

  if (route.id == route_id::not_found)
    return respond(error_response(404, "not_found", "no route for " + std::string(req.path())));
  const std::string allow = route.allow;
  if (!method_allowed(allow, req.method)) {
    auto r = error_response(405, "method_not_allowed",
                            req.method + " is not allowed here; use " + allow);
    r.headers.emplace_back("Allow", allow);
    return respond(std::move(r));
  }

  // Keys: every route but health needs one when keys are configured.
  if (cfg_.keys && route.id != route_id::health) {
    const auto key =
        runtime::auth::presented_key(req.header("Authorization"), req.header("X-API-Key"));
    auto it = cfg_.keys->find(key);
    if (key.empty() || it == cfg_.keys->end()) {
      auto r = error_response(401, "unauthorized",
                              key.empty() ? "this route needs an API key: Authorization: Bearer KEY"
                                          : "unknown API key");
      r.headers.emplace_back("WWW-Authenticate", "Bearer");
      return respond(std::move(r));
    }
    if (route.id == route_id::train && !it->second.admin)
      return respond(error_response(403, "forbidden", "training needs an admin key"));
    auto verdict = limiter_.take(key, it->second.rate_per_second, it->second.burst);
    if (!verdict.allowed) {
      char limit[32];
      std::snprintf(limit, sizeof limit, "%g", it->second.rate_per_second);
      auto r = error_response(429, "rate_limited",
                              std::string("rate limit of ") + limit +
                                  " requests/s exceeded for key " + it->second.name);
      r.headers.emplace_back("Retry-After",
                             std::to_string(static_cast<int>(verdict.retry_after_seconds) + 1));
      return respond(std::move(r));
    }
  }

  switch (route.id) {
  case route_id::predict:
    return analyze(route, operation::predict, req, request_id, std::move(respond));
  case route_id::detect_anomalies:
    return analyze(route, operation::detect_anomalies, req, request_id, std::move(respond));
  case route_id::enhance:
    return analyze(route, operation::enhance, req, request_id, std::move(respond));
  case route_id::train:
    return analyze(route, operation::train, req, request_id, std::move(respond));
  case route_id::health:
    return respond(health(false));
  case route_id::full_health:
    return respond(health(true));
  case route_id::status:
    return respond(status());
  case route_id::model_info:
    return respond(model_info());
  case route_id::asset:
    return respond(asset_history(route, req));
  case route_id::cluster:
    if (!cfg_.cluster_view)
      return respond(error_response(404, "not_found", "this bridge has no cluster view"));
    return cfg_.cluster_view([respond](unsigned status, std::string body) {
      respond(json_response(status, std::move(body)));
    });
  case route_id::metrics: {
    http::response r;
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    auto& m = runtime::metrics::global();
    m.set("qscan_http_requests_in_flight", "", static_cast<double>(in_flight_.load()));
    r.body = m.render();
    return respond(std::move(r));
  }
  case route_id::not_found:
    break;
  }
  respond(error_response(404, "not_found", "no route for " + std::string(req.path())));
}

void http_api::analyze(const route_match& route, operation op, const http::request& req,
                       const std::string& request_id, respond_fn respond) {
  if (!json_content_type(req.header("Content-Type")))
    return respond(error_response(415, "unsupported_media_type",
                                  "expected Content-Type: application/json, got " +
                                      std::string(req.header("Content-Type"))));
  auto parsed = protocol::parse_json(req.body, cfg_.json);
  if (auto* err = std::get_if<protocol::json_error>(&parsed))
    return respond(error_response(400, err->code, err->message));
  const char* list = op == operation::train ? "training_data" : "scan_results";
  auto batch =
      protocol::decode_batch(std::move(std::get<boost::json::value>(parsed)), list, cfg_.batch);

  auto work = std::make_shared<job>();
  work->op = op;
  if (op == operation::train) {
    work->model_type = "threat_predictor";
    if (auto it = batch.request.find("model_type"); it != batch.request.end()) {
      if (it->value().is_string() && (it->value().get_string() == "threat_predictor" ||
                                      it->value().get_string() == "anomaly_detector"))
        work->model_type = std::string(it->value().get_string());
      else
        batch.errors.push_back(
            {"model_type", "expected \"threat_predictor\" or \"anomaly_detector\""});
    }
  }
  if (!batch.errors.empty()) {
    const auto n = batch.errors.size();
    return respond(error_response(422, "invalid_request",
                                  std::to_string(n) + (n == 1 ? " problem" : " problems") +
                                      " in the request body",
                                  batch.errors));
  }

  work->request_id = request_id;
  work->route = route.name;
  work->received_at = protocol::now_iso8601();
  work->warnings = std::move(batch.warnings);
  work->quantum_scores.reserve(batch.results.size());
  for (auto& r : batch.results) {
    if (!r.quantum_risk_score) {
      r.quantum_risk_score = protocol::round_score(analytics::quantum_risk_score(r));
      r.document["quantum_risk_score"] = *r.quantum_risk_score;
    }
    work->quantum_scores.push_back(*r.quantum_risk_score);
  }
  work->results = std::move(batch.results);

  std::string key(req.header("Idempotency-Key"));
  if (key.size() > 256)
    return respond(error_response(400, "invalid_request", "Idempotency-Key longer than 256 bytes"));
  if (!key.empty()) {
    auto stored = db_->find_answer(key);
    if (!stored)
      return respond(error_response(503, "storage_unavailable", stored.error()));
    if (*stored) {
      const auto& answer = **stored;
      if (answer.route != route.name)
        return respond(error_response(422, "idempotency_key_reused",
                                      "this Idempotency-Key answered a " + answer.route +
                                          " request; use a new key"));
      auto r = json_response(answer.status, answer.body);
      r.headers.emplace_back("Idempotent-Replayed", "true");
      return respond(std::move(r));
    }
    if (!begin_idempotent(key, respond))
      return;
    work->idempotency_key = key;
  }

  auto reply = std::make_shared<std::function<void(job_outcome)>>(
      [this, key, respond = std::move(respond)](job_outcome out) {
        auto r = json_response(out.status, std::move(out.body));
        if (out.degraded)
          r.headers.emplace_back("X-Qscan-Degraded", "true");
        if (!key.empty())
          end_idempotent(key, r);
        respond(std::move(r));
      });
  caf::anon_send(bridge_, analyze_atom::value, job_ptr{std::move(work)}, reply_fn{reply});
}

bool http_api::begin_idempotent(const std::string& key, respond_fn respond) {
  std::lock_guard<std::mutex> guard(mutex_);
  auto [it, fresh] = keyed_.try_emplace(key);
  if (!fresh)
    it->second.push_back(std::move(respond));
  return fresh;
}

void http_api::end_idempotent(const std::string& key, const http::response& answer) {
  std::vector<respond_fn> waiting;
  {
    std::lock_guard<std::mutex> guard(mutex_);
    auto it = keyed_.find(key);
    if (it == keyed_.end())
      return;
    waiting = std::move(it->second);
    keyed_.erase(it);
  }
  for (auto& w : waiting) {
    auto copy = answer;
    copy.headers.emplace_back("Idempotent-Replayed", "true");
    w(std::move(copy));
  }
}

} // namespace qs::actors
