#include "actors/bridge/http_api.hpp"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <iostream>

#include <malloc.h>

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <caf/all.hpp>

#include "actors/analytics/quantum_risk.hpp"
#include "actors/bridge/console.hpp"
#include "actors/bridge/responses.hpp"
#include "actors/scanner/scan_messages.hpp"
#include "protocol/answer_codec.hpp"
#include "protocol/timestamp.hpp"
#include "runtime/auth/audit.hpp"
#include "runtime/auth/digest.hpp"
#include "runtime/metrics/registry.hpp"

namespace qs::actors {

namespace http = runtime::http;
namespace auth = runtime::auth;

namespace {

/// A job whose body was at least this large gives its freed heap back to the OS
/// when it is destroyed, so a burst of large requests does not leave the
/// process holding its peak (parsed JSON is many small allocations).
constexpr std::size_t trim_after_body = 1024 * 1024;

std::shared_ptr<job> new_job(std::size_t body_size) {
  if (body_size < trim_after_body)
    return std::make_shared<job>();
  return std::shared_ptr<job>(new job, [](job* j) {
    delete j;
    malloc_trim(0);
  });
}

std::string whole_seconds(double seconds) {
  return std::to_string(static_cast<long long>(std::ceil(std::max(seconds, 0.001))));
}

// Wraps `respond` so every answer carries its route label and the in-flight
// gauge counts it once, however often the wrapper is called.
http::respond_fn tracked(http::respond_fn respond, std::string route,
                         std::atomic<std::int64_t>& in_flight) {
  ++in_flight;
  auto answered = std::make_shared<std::atomic<bool>>(false);
  return [respond = std::move(respond), route = std::move(route), answered,
          &in_flight](http::response r) {
    if (answered->exchange(true))
      return;
    --in_flight;
    r.route = route;
    respond(std::move(r));
  };
}

} // namespace

http_api::http_api(http_api_config cfg, caf::actor bridge, runtime::storage::stores stores,
                   std::shared_ptr<runtime::storage::executor> storage_threads)
    : cfg_(std::move(cfg)), bridge_(std::move(bridge)), stores_(std::move(stores)),
      storage_threads_(std::move(storage_threads)), started_(std::chrono::steady_clock::now()),
      started_at_(protocol::now_iso8601()), keys_required_(cfg_.keys.has_value()),
      keys_(std::make_shared<const auth::key_table>(cfg_.keys ? *cfg_.keys : auth::key_table{})),
      failures_(cfg_.auth_failures_per_minute) {
  auto& m = *cfg_.metrics;
  m.describe("qscan_http_requests_total", "counter", "HTTP requests answered, by route and status");
  m.describe("qscan_http_request_duration_seconds", "histogram",
             "Time from a request's arrival to its answer, by route");
  m.describe("qscan_degraded_answers_total", "counter",
             "Answers given from the bridge's local fallback");
  m.describe("qscan_actor_restarts_total", "counter", "Workers restarted by their supervisor");
  m.describe("qscan_http_requests_in_flight", "gauge", "Requests being answered now");
  m.describe("qscan_auth_failures_total", "counter",
             "Requests with an unknown API key, and refused while throttled");
  m.add("qscan_degraded_answers_total", "", 0);
}

void http_api::observe(std::string_view route, unsigned status, double seconds) const {
  auto& m = *cfg_.metrics;
  const std::string labels = "route=\"" + std::string(route.empty() ? "unrouted" : route) + "\"";
  m.add("qscan_http_requests_total", labels + ",status=\"" + std::to_string(status) + "\"");
  m.observe("qscan_http_request_duration_seconds", labels, seconds);
}

void http_api::set_keys(auth::key_table keys) {
  if (keys_required_)
    std::atomic_store(&keys_, std::make_shared<const auth::key_table>(std::move(keys)));
}

std::size_t http_api::key_count() const {
  return std::atomic_load(&keys_)->size();
}

void http_api::handle(http::request req, http::respond_fn respond) {
  if (req.id.empty())
    req.id = http::next_request_id();
  const auto matched = match_route(req.path());
  respond = tracked(std::move(respond), matched.name, in_flight_);
  auto fallback = respond;
  try {
    auto who = authenticate(matched, req);
    if (auto* refusal = std::get_if<http::response>(&who))
      return respond(std::move(*refusal));
    route(matched, std::get<caller>(who), req, std::move(respond));
  } catch (const std::exception& e) { // the detail to the log, never to the client
    std::cerr << "qscan: internal error answering " << req.id << ": " << e.what() << std::endl;
    fallback(error_response(500, "internal", "internal error (request " + req.id + ")"));
  } catch (...) {
    std::cerr << "qscan: internal error answering " << req.id << std::endl;
    fallback(error_response(500, "internal", "internal error (request " + req.id + ")"));
  }
}

// Keys come before routes: without a key, nothing says which routes exist.
std::variant<http_api::caller, http::response> http_api::authenticate(const route_match& route,
                                                                      const http::request& req) {
  if (!keys_required_ || route.id == route_id::health || console::is_public(route.id, req))
    return caller{};
  auto& m = *cfg_.metrics;
  if (auto gate = failures_.check(req.remote_address); !gate.allowed) {
    m.add("qscan_auth_failures_total", "reason=\"throttled\"");
    auto r = error_response(429, "too_many_failed_attempts",
                            "too many requests with a wrong API key from this address; try "
                            "again in " +
                                whole_seconds(gate.retry_after_seconds) + " s");
    r.headers.emplace_back("Retry-After", whole_seconds(gate.retry_after_seconds));
    return r;
  }
  const auto secret = auth::presented_key(req.header("Authorization"), req.header("X-API-Key"));
  caller who{std::atomic_load(&keys_), nullptr};
  if (!secret.empty())
    who.key = who.table->find(secret);
  if (!who.key) {
    if (!secret.empty()) {
      failures_.failed(req.remote_address);
      m.add("qscan_auth_failures_total", "reason=\"unknown_key\"");
    }
    auto r =
        error_response(401, "unauthorized",
                       secret.empty() ? "this route needs an API key: Authorization: Bearer KEY"
                                      : "unknown API key");
    r.headers.emplace_back("WWW-Authenticate", "Bearer");
    return r;
  }
  auto verdict = limiter_.take(who.key->id, who.key->rate_per_second, who.key->burst);
  if (!verdict.allowed) {
    char limit[32];
    std::snprintf(limit, sizeof limit, "%g", who.key->rate_per_second);
    auto r = error_response(429, "rate_limited",
                            std::string("rate limit of ") + limit +
                                " requests/s exceeded for key " + who.key->name);
    r.headers.emplace_back("Retry-After",
                           std::to_string(static_cast<int>(verdict.retry_after_seconds) + 1));
    return r;
  }
  return who;
}

void http_api::route(const route_match& route, const caller& who, http::request& req,
                     respond_fn respond) {
  if (route.id == route_id::not_found)
    return respond(error_response(404, "not_found", "no route for " + std::string(req.path())));
  if (!method_allowed(route.allow, req.method)) {
    const auto allow = allowed_methods(route.allow);
    auto r = error_response(405, "method_not_allowed",
                            req.method + " is not allowed here; use " + allow);
    r.headers.emplace_back("Allow", allow);
    return respond(std::move(r));
  }
  if (who.key && needs_admin(route.id, req.method) && !who.key->admin)
    return respond(error_response(403, "forbidden", admin_refusal(route.id)));

  switch (route.id) {
  case route_id::predict:
    return analyze(route, operation::predict, who, req, std::move(respond));
  case route_id::detect_anomalies:
    return analyze(route, operation::detect_anomalies, who, req, std::move(respond));
  case route_id::enhance:
    return analyze(route, operation::enhance, who, req, std::move(respond));
  case route_id::train:
    return analyze(route, operation::train, who, req, std::move(respond));
  case route_id::health:
    return respond(health(false));
  case route_id::full_health:
    return respond(health(true));
  case route_id::status:
    return respond(status());
  case route_id::model_info:
    return off_thread(std::move(respond), [this] { return model_info(); });
  case route_id::asset:
    return off_thread(std::move(respond), [this, route, req] { return asset_history(route, req); });
  case route_id::asset_series:
    return off_thread(std::move(respond), [this, route, req] { return asset_series(route, req); });
  case route_id::asset_changes:
    return off_thread(std::move(respond), [this, route, req] { return asset_changes(route, req); });
  case route_id::assets:
    return off_thread(std::move(respond), [this, req] { return asset_list(req); });
  case route_id::overview:
    return off_thread(std::move(respond), [this, req] { return overview(req); });
  case route_id::cve:
    return respond(cve(route));
  case route_id::cluster:
    if (!cfg_.cluster_view)
      return respond(error_response(404, "not_found", "this bridge has no cluster view"));
    return cfg_.cluster_view([respond](unsigned status, std::string body) {
      respond(json_response(status, std::move(body)));
    });
  case route_id::metrics: {
    http::response r;
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    auto& m = *cfg_.metrics;
    m.set("qscan_http_requests_in_flight", "", static_cast<double>(in_flight_.load()));
    r.body = m.render();
    return respond(std::move(r));
  }
  case route_id::schedules:
    if (req.method == "POST")
      return submit_scan(who, req, std::move(respond), "schedule");
    return off_thread(std::move(respond), [this, req] { return schedule_list(req); });
  case route_id::schedule: {
    // Who deleted it, for the audit line.
    std::string by = who.key ? who.key->name : std::string(), key_id = who.key ? who.key->id : "";
    return off_thread(std::move(respond), [this, route, req, by, key_id] {
      auto answer = schedule_one(route, req);
      if (req.method == "DELETE" && answer.status == 204 && !by.empty())
        auth::audit("schedule-delete", by,
                    {{"key_id", key_id},
                     {"remote", req.remote_address},
                     {"request_id", req.id},
                     {"schedule", route.scan_id}});
      return answer;
    });
  }
  case route_id::scans:
    if (req.method == "POST")
      return submit_scan(who, req, std::move(respond), "");
    return off_thread(std::move(respond), [this, req] { return scan_list(req); });
  case route_id::scan:
    return off_thread(std::move(respond), [this, route, req] { return scan_status(route, req); });
  case route_id::scan_cbom:
  case route_id::scan_sarif:
    return off_thread(std::move(respond), [this, route, req] { return scan_report(route, req); });
  case route_id::console_file:
    return respond(console::serve(req.path(), req.header("If-None-Match")));
  case route_id::whoami:
    return respond(console::whoami(keys_required_, who.key));
  case route_id::not_found:
    break;
  }
  respond(error_response(404, "not_found", "no route for " + std::string(req.path())));
}

void http_api::analyze(const route_match& route, operation op, const caller& who,
                       const http::request& req, respond_fn respond) {
  if (!json_content_type(req.header("Content-Type")))
    return respond(error_response(415, "unsupported_media_type",
                                  "expected Content-Type: application/json, got " +
                                      std::string(req.header("Content-Type"))));

  // An Idempotency-Key belongs to the API key that sent it, and answers only
  // the route and body it first came with.
  const std::string client_key(req.header("Idempotency-Key"));
  if (client_key.size() > 256)
    return respond(error_response(400, "invalid_request", "Idempotency-Key longer than 256 bytes"));
  if (client_key.empty())
    return start_job(route, op, who, req, "", "", std::move(respond));
  std::string key = (who.key ? who.key->id : std::string("open")) + ":" + client_key;
  std::string fingerprint = auth::to_hex(auth::sha256(route.name + "\n" + req.body));
  if (auto cached = answers_.find(key))
    return respond(replay(*cached, route, fingerprint));
  // One read of storage; the job starts from there (parsing a large body off the
  // I/O thread too).
  auto work = [this, self = shared_from_this(), route, op, who, req, key, fingerprint,
               respond]() mutable {
    auto stored = stores_.answers->find_answer(key);
    if (!stored)
      return respond(storage_unavailable(req, stored.error()));
    if (*stored) {
      answers_.put(**stored);
      return respond(replay(**stored, route, fingerprint));
    }
    start_job(route, op, who, req, key, fingerprint, std::move(respond));
  };
  if (!storage_threads_->post(std::move(work)))
    respond(error_response(503, "overloaded", "too many storage reads waiting; try again"));
}

http::response http_api::replay(const runtime::storage::idempotent_answer& answer,
                                const route_match& route, const std::string& fingerprint) {
  if (answer.route != route.name ||
      (!answer.fingerprint.empty() && answer.fingerprint != fingerprint))
    return error_response(422, "idempotency_key_reused",
                          "this Idempotency-Key answered " +
                              (answer.route != route.name
                                   ? "a " + answer.route + " request"
                                   : std::string("a request with another body")) +
                              "; use a new key");
  auto r = json_response(answer.status, answer.body);
  r.headers.emplace_back("Idempotent-Replayed", "true");
  return r;
}

void http_api::off_thread(respond_fn respond, std::function<http::response()> work) {
  auto run = [self = shared_from_this(), respond, work = std::move(work)] { respond(work()); };
  if (!storage_threads_->post(std::move(run))) {
    auto r = error_response(503, "overloaded", "too many storage reads waiting; try again");
    r.headers.emplace_back("Retry-After", "1");
    respond(std::move(r));
  }
}

void http_api::start_job(const route_match& route, operation op, const caller& who,
                         const http::request& req, const std::string& key,
                         const std::string& fingerprint, respond_fn respond) {
  // The body's values live in one arena, freed with the job's last document.
  auto parsed = protocol::parse_json(
      req.body, cfg_.json, boost::json::make_shared_resource<boost::json::monotonic_resource>());
  if (auto* err = std::get_if<protocol::json_error>(&parsed))
    return respond(error_response(400, err->code, err->message));
  const char* list = op == operation::train ? "training_data" : "scan_results";
  auto batch =
      protocol::decode_batch(std::move(std::get<boost::json::value>(parsed)), list, cfg_.batch);

  auto work = new_job(req.body.size());
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

  work->request_id = req.id;
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

  if (!key.empty()) {
    switch (begin_idempotent(key, fingerprint, respond)) {
    case keyed_start::waiting:
      return;
    case keyed_start::conflict:
      return respond(error_response(422, "idempotency_key_reused",
                                    "this Idempotency-Key is being used by a request with another "
                                    "route or body; use a new key"));
    case keyed_start::fresh:
      break;
    }
    work->idempotency_key = key;
    work->idempotency_fingerprint = fingerprint;
  }
  if (op == operation::train && who.key)
    auth::audit("train", who.key->name,
                {{"key_id", who.key->id},
                 {"remote", req.remote_address},
                 {"request_id", req.id},
                 {"model_type", work->model_type},
                 {"examples", std::to_string(work->results.size())}});

  const bool retrain = op == operation::train && work->model_type == "threat_predictor";
  auto reply = std::make_shared<std::function<void(job_outcome)>>(
      [this, key, retrain, route = route.name, fingerprint,
       respond = std::move(respond)](job_outcome out) {
        if (retrain && out.status == 200)
          out.body = train_answer(std::move(out.body), !out.degraded);
        auto r = json_response(out.status, std::move(out.body));
        if (out.degraded)
          r.headers.emplace_back("X-Qscan-Degraded", "true");
        if (!key.empty()) {
          if (out.status == 200) // stored with its batch: the answer to every retry
            answers_.put({key, route, out.status, r.body, fingerprint});
          end_idempotent(key, r);
        }
        respond(std::move(r));
      });
  caf::anon_send(bridge_, analyze_atom::value, job_ptr{std::move(work)}, reply_fn{reply});
}

http_api::keyed_start http_api::begin_idempotent(const std::string& key,
                                                 const std::string& fingerprint,
                                                 respond_fn respond) {
  std::lock_guard<std::mutex> guard(mutex_);
  auto [it, fresh] = keyed_.try_emplace(key);
  if (fresh) {
    it->second.fingerprint = fingerprint;
    return keyed_start::fresh;
  }
  if (it->second.fingerprint != fingerprint)
    return keyed_start::conflict;
  it->second.waiting.push_back(std::move(respond));
  return keyed_start::waiting;
}

void http_api::end_idempotent(const std::string& key, const http::response& answer) {
  std::vector<respond_fn> waiting;
  {
    std::lock_guard<std::mutex> guard(mutex_);
    auto it = keyed_.find(key);
    if (it == keyed_.end())
      return;
    waiting = std::move(it->second.waiting);
    keyed_.erase(it);
  }
  for (auto& w : waiting) {
    auto copy = answer;
    copy.headers.emplace_back("Idempotent-Replayed", "true");
    w(std::move(copy));
  }
}

http::response http_api::storage_unavailable(const http::request& req,
                                             const qs::error& detail) const {
  std::cerr << "qscan: storage unavailable answering " << req.id << ": " << detail.message
            << std::endl;
  auto r = error_response(503, "storage_unavailable", "storage is unavailable; try again");
  r.headers.emplace_back("Retry-After", "1");
  return r;
}

} // namespace qs::actors
