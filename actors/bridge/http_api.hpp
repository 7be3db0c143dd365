// The bridge's HTTP API: checks keys first (with failed attempts throttled per
// client), then routes requests, applies rate limits, validates bodies,
// answers idempotent retries from its answer cache or storage (an
// Idempotency-Key belongs to one API key, one route and one body), hands
// analysis jobs to the bridge actor and reads history, models and scan jobs
// from the stores (local in `qscan serve`, a persistence node's in a cluster).
// Admin actions are written to the audit log.
//
// Threads: `handle` is called on the HTTP server's I/O threads and never
// blocks: every storage call runs on the storage executor, which answers from
// there (or 503 "overloaded" when its queue is full). All members are immutable
// after construction except the key table (swapped whole by set_keys, read
// with atomic shared_ptr loads), the limiters and the answer cache (which lock
// inside) and what is guarded by `mutex_`.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

#include <caf/actor.hpp>

#include "actors/analytics/risk.hpp"
#include "actors/bridge/answer_cache.hpp"
#include "actors/bridge/routes.hpp"
#include "actors/messages.hpp"
#include "actors/predictor/exploit_service.hpp"
#include "actors/supervision/role_health.hpp"
#include "protocol/json_input.hpp"
#include "protocol/scan_result_codec.hpp"
#include "runtime/auth/api_keys.hpp"
#include "runtime/auth/failure_throttle.hpp"
#include "runtime/auth/rate_limiter.hpp"
#include "runtime/http/server.hpp"
#include "runtime/metrics/registry.hpp"
#include "runtime/storage/executor.hpp"
#include "runtime/storage/stores.hpp"

namespace qs::actors {

struct http_api_config {
  std::string version = QS_VERSION;
  /// The cluster's id, shown by GET /status ("" until a cluster node has joined).
  std::function<std::string()> cluster_id;
  protocol::batch_limits batch;
  protocol::json_limits json;
  std::optional<runtime::auth::key_table> keys; ///< none: no authentication
  double auth_failures_per_minute = 60;         ///< per client; 0: not throttled
  analytics::risk_weights weights;
  std::size_t max_history_page = 1000;
  /// Answers GET /v1/cluster: calls back once, from any thread, with a status and a
  /// JSON body (the cluster view, or an error).
  std::function<void(std::function<void(unsigned status, std::string body)>)> cluster_view;
  /// Takes POST /v1/scans: (scan_atom, scan_submission, scan_reply), the scan jobs
  /// actor or, on a cluster bridge, the coordinator client. Invalid: no scans here.
  caf::actor scan_jobs;
  std::size_t max_scan_page = 1000;        ///< results in one GET /v1/scans/{id}
  std::size_t max_report_results = 100000; ///< results in one CBOM or SARIF report
  /// The exploit model: model-info, GET /v1/cves/{id}, retraining after
  /// POST .../train. Null: model-info reports the rules, no CVE route.
  std::shared_ptr<exploit_service> exploit;
  /// The node's health board (health and status routes); not null.
  std::shared_ptr<role_health> health;
  /// The node's metrics: what GET /metrics renders and observe() counts into; not null.
  std::shared_ptr<runtime::metrics::registry> metrics;
};

class http_api : public std::enable_shared_from_this<http_api> {
public:
  http_api(http_api_config cfg, caf::actor bridge, runtime::storage::stores stores,
           std::shared_ptr<runtime::storage::executor> storage_threads);

  void handle(runtime::http::request req, runtime::http::respond_fn respond);

  /// Replaces the API keys (on SIGHUP). Only when keys were configured at
  /// the start: authentication is never switched on or off at runtime.
  /// Thread-safe.
  void set_keys(runtime::auth::key_table keys);
  std::size_t key_count() const;

  /// Counts and times one answer in the node's metrics: the HTTP server's
  /// on_answer. Thread-safe.
  void observe(std::string_view route, unsigned status, double seconds) const;

private:
  using respond_fn = runtime::http::respond_fn;

  /// The key a request authenticated with (null without keys), or the answer
  /// that refuses it.
  struct caller {
    std::shared_ptr<const runtime::auth::key_table> table; ///< keeps `key` alive
    const runtime::auth::api_key* key = nullptr;
  };
  std::variant<caller, runtime::http::response> authenticate(const route_match& route,
                                                             const runtime::http::request& req);
  void route(const route_match& route, const caller& who, runtime::http::request& req,
             respond_fn respond);

  void analyze(const route_match& route, operation op, const caller& who,
               const runtime::http::request& req, respond_fn respond);
  /// Parses, validates and hands the job to the bridge actor (after any stored
  /// answer to its key was looked up).
  void start_job(const route_match& route, operation op, const caller& who,
                 const runtime::http::request& req, const std::string& key,
                 const std::string& fingerprint, respond_fn respond);
  /// A stored answer to a key: replayed, or refused when its route or body differ.
  static runtime::http::response replay(const runtime::storage::idempotent_answer& answer,
                                        const route_match& route, const std::string& fingerprint);
  /// Runs `work` (which calls storage) on a storage thread and answers with it; the
  /// API stays alive until it has run. @pre the API is owned by a shared_ptr.
  void off_thread(respond_fn respond, std::function<runtime::http::response()> work);
  runtime::http::response asset_history(const route_match& route,
                                        const runtime::http::request& req);
  /// POST /v1/scans (`kind` "") and POST /v1/schedules ("schedule"): to the scan jobs.
  void submit_scan(const caller& who, const runtime::http::request& req, respond_fn respond,
                   const std::string& kind);
  runtime::http::response schedule_list(const runtime::http::request& req);
  /// GET or DELETE /v1/schedules/{id}.
  runtime::http::response schedule_one(const route_match& route, const runtime::http::request& req);
  runtime::http::response scan_status(const route_match& route, const runtime::http::request& req);
  runtime::http::response scan_report(const route_match& route, const runtime::http::request& req);
  runtime::http::response health(bool full) const;
  runtime::http::response status() const;
  runtime::http::response model_info() const;
  runtime::http::response cve(const route_match& route) const;
  runtime::http::response asset_series(const route_match& route, const runtime::http::request& req);
  runtime::http::response asset_list(const runtime::http::request& req);
  runtime::http::response overview(const runtime::http::request& req);
  runtime::http::response asset_changes(const route_match& route,
                                        const runtime::http::request& req);
  runtime::http::response scan_list(const runtime::http::request& req);
  /// The train answer with the live model and, when `start`, the retraining it started.
  std::string train_answer(std::string body, bool start) const;

  enum class keyed_start { fresh, waiting, conflict };
  /// Registers a request under its scoped Idempotency-Key. `waiting`: one with
  /// the same key, route and body is being answered, and `respond` gets its
  /// answer; `conflict`: the key is in use for another route or body.
  keyed_start begin_idempotent(const std::string& key, const std::string& fingerprint,
                               respond_fn respond);
  void end_idempotent(const std::string& key, const runtime::http::response& answer);

  /// A 503 that names no storage internals (the detail goes to the log).
  runtime::http::response storage_unavailable(const runtime::http::request& req,
                                              const qs::error& detail) const;

  const http_api_config cfg_;
  const caf::actor bridge_;
  const runtime::storage::stores stores_;
  const std::shared_ptr<runtime::storage::executor> storage_threads_;
  answer_cache answers_{64 * 1024 * 1024};
  const std::chrono::steady_clock::time_point started_;
  const std::string started_at_;
  const bool keys_required_;
  std::shared_ptr<const runtime::auth::key_table> keys_; ///< atomic loads and stores only
  runtime::auth::rate_limiter limiter_;
  runtime::auth::failure_throttle failures_;

  struct keyed_request {
    std::string fingerprint;
    std::vector<respond_fn> waiting;
  };
  std::mutex mutex_;
  std::unordered_map<std::string, keyed_request> keyed_; // GUARDED_BY(mutex_)
  std::atomic<std::int64_t> in_flight_{0};               // requests being answered
};

} // namespace qs::actors
