// The bridge's HTTP API: routes requests, checks keys and rate limits,
// validates bodies, answers idempotent retries from storage, hands analysis
// jobs to the bridge actor and reads history from storage.
//
// Threads: `handle` is called on the HTTP server's I/O threads and never
// blocks on the actors (it may run one short indexed storage read). All
// members are immutable after construction except those guarded by `mutex_`.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <caf/actor.hpp>

#include "actors/analytics/risk.hpp"
#include "actors/bridge/routes.hpp"
#include "actors/messages.hpp"
#include "protocol/json_input.hpp"
#include "protocol/scan_result_codec.hpp"
#include "runtime/auth/api_keys.hpp"
#include "runtime/auth/rate_limiter.hpp"
#include "runtime/http/server.hpp"
#include "runtime/storage/storage.hpp"

namespace qs::actors {

struct http_api_config {
  std::string version = QS_VERSION;
  protocol::batch_limits batch;
  protocol::json_limits json;
  std::optional<runtime::auth::key_table> keys; ///< none: no authentication
  analytics::risk_weights weights;
  std::size_t max_history_page = 1000;
  /// Answers GET /v1/cluster: calls back once, from any thread, with a status and a
  /// JSON body (the cluster view, or an error).
  std::function<void(std::function<void(unsigned status, std::string body)>)> cluster_view;
};

class http_api {
public:
  http_api(http_api_config cfg, caf::actor bridge, std::shared_ptr<runtime::storage::storage> db);

  void handle(runtime::http::request req, runtime::http::respond_fn respond);

private:
  using respond_fn = runtime::http::respond_fn;

  void analyze(const route_match& route, operation op, const runtime::http::request& req,
               const std::string& request_id, respond_fn respond);
  runtime::http::response asset_history(const route_match& route,
                                        const runtime::http::request& req);
  runtime::http::response health(bool full) const;
  runtime::http::response status() const;
  runtime::http::response model_info() const;

  /// Registers a request under its Idempotency-Key; false when one with the
  /// same key is already being answered (then `respond` waits for its answer).
  bool begin_idempotent(const std::string& key, respond_fn respond);
  void end_idempotent(const std::string& key, const runtime::http::response& answer);

  std::string next_request_id();

  const http_api_config cfg_;
  const caf::actor bridge_;
  const std::shared_ptr<runtime::storage::storage> db_;
  const std::chrono::steady_clock::time_point started_;
  const std::string started_at_;
  runtime::auth::rate_limiter limiter_;

  std::mutex mutex_;
  std::unordered_map<std::string, std::vector<respond_fn>> keyed_; // GUARDED_BY(mutex_)
  std::atomic<std::uint64_t> request_counter_{0};
  std::atomic<std::int64_t> in_flight_{0}; // requests being answered
};

} // namespace qs::actors
