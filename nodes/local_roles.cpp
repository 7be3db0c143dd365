#include "nodes/local_roles.hpp"

#include <iostream>

#include "actors/anomaly/anomaly_shard.hpp"
#include "actors/predictor/predictor_worker.hpp"
#include "actors/scanner/scan_jobs.hpp"
#include "actors/scanner/scan_worker.hpp"
#include "actors/supervision/pool.hpp"
#include "runtime/auth/audit.hpp"
#include "runtime/config/address.hpp"

namespace qs::nodes {

namespace {

actors::pool_config pool_settings(const serve_options& o, const char* role, int size,
                                  const node_telemetry& telemetry) {
  actors::pool_config cfg;
  cfg.role = role;
  cfg.size = static_cast<std::size_t>(size);
  cfg.task_timeout = std::chrono::milliseconds(o.task_timeout_ms);
  cfg.max_restarts = static_cast<std::size_t>(o.max_restarts);
  cfg.restart_window = std::chrono::milliseconds(o.restart_window_ms);
  cfg.health = telemetry.health;
  cfg.metrics = telemetry.metrics;
  return cfg;
}

} // namespace

sigset_t block_stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return set;
}

int wait_for_stop(const sigset_t& signals, const std::function<bool()>& every,
                  const std::function<void()>& on_hangup) {
  for (;;) {
    timespec wait{0, 200 * 1000 * 1000};
    const int signal = sigtimedwait(&signals, nullptr, &wait);
    if (signal == SIGHUP) {
      if (on_hangup)
        on_hangup();
      continue;
    }
    if (signal > 0)
      return signal;
    if (every && !every())
      return 0;
  }
}

void configure_actor_system(caf::actor_system_config& cfg, const serve_options& o) {
  cfg.set("scheduler.max-threads", static_cast<std::size_t>(o.actor_threads));
  cfg.set("logger.verbosity", caf::atom("quiet"));
  // The default work-stealing scheduler lets idle threads sleep for up to 10 ms;
  // messages from the HTTP, storage and cluster threads would wait that long. The
  // sharing policy wakes a thread at once.
  cfg.set("scheduler.policy", caf::atom("sharing"));
}

qs::expected<std::shared_ptr<actors::exploit_service>>
start_exploit_service(const serve_options& o, std::shared_ptr<runtime::storage::model_store> models,
                      bool read_stored, const std::string& default_catalogue) {
  actors::exploit_service_config cfg;
  cfg.model_file = o.exploit_model;
  cfg.catalogue_file = o.cve_catalogue.empty() ? default_catalogue : o.cve_catalogue;
  cfg.kev_lookup = !o.no_kev_lookup;
  cfg.models = std::move(models);
  cfg.read_stored_model = read_stored;
  auto started = actors::exploit_service::start(std::move(cfg));
  if (auto* why = std::get_if<std::string>(&started))
    return qs::error{errc::start_failed, *why};
  return std::get<0>(std::move(started));
}

caf::actor spawn_predictors(caf::actor_system& system, const serve_options& o,
                            std::shared_ptr<actors::model_slot> models,
                            const node_telemetry& telemetry) {
  const bool faults = o.fault_injection;
  return system.spawn(
      actors::pool<actors::predict_atom, actors::predictions_outcome>::make,
      pool_settings(o, "predictor", o.predictor_workers, telemetry),
      actors::worker_factory([models, faults](caf::local_actor* parent, std::size_t) {
        return parent->spawn(actors::predictor_worker, models, faults);
      }),
      actors::route_fn{});
}

std::shared_ptr<runtime::storage::executor> storage_threads(const serve_options& o) {
  return std::make_shared<runtime::storage::executor>(static_cast<std::size_t>(o.storage_threads),
                                                      4096);
}

caf::actor spawn_anomaly_shards(caf::actor_system& system, const serve_options& o,
                                std::shared_ptr<runtime::storage::history_store> history,
                                std::shared_ptr<runtime::storage::executor> threads,
                                std::shared_ptr<const std::atomic<std::uint64_t>> ring_generation,
                                const node_telemetry& telemetry) {
  actors::anomaly_shard_config shard;
  shard.fault_injection = o.fault_injection;
  shard.ring_generation = std::move(ring_generation);
  shard.load_timeout = std::chrono::milliseconds(o.request_deadline_ms);
  shard.history = std::move(history);
  shard.threads = std::move(threads);
  auto cfg = pool_settings(o, "anomaly", o.anomaly_shards, telemetry);
  cfg.keyed = true;
  return system.spawn(actors::pool<actors::detect_atom, actors::anomalies_outcome>::make, cfg,
                      actors::worker_factory([shard](caf::local_actor* parent, std::size_t) {
                        return parent->spawn(actors::anomaly_shard, shard);
                      }),
                      actors::route_fn([](const actors::slice& s, std::size_t n) {
                        return actors::shard_of(s.work->results[s.indices.front()].asset_id, n);
                      }));
}

qs::expected<scanner::scan_policy> scan_policy_of(const serve_options& o) {
  auto allow = scanner::parse_cidr_list(o.scan_allow);
  if (auto* why = std::get_if<std::string>(&allow))
    return qs::error{errc::bad_option, "--scan-allow: " + *why};
  scanner::scan_policy policy;
  policy.allow = std::move(std::get<std::vector<scanner::cidr>>(allow));
  policy.files_root = o.scan_files_root;
  return policy;
}

caf::actor spawn_scanner(caf::actor_system& system, const serve_options& o,
                         const scanner::scan_policy& policy, const node_telemetry& telemetry) {
  return system.spawn<caf::detached>(
      actors::scan_worker, actors::scan_worker_config{static_cast<std::size_t>(o.scan_workers),
                                                      policy, telemetry.metrics});
}

caf::actor spawn_scan_jobs(caf::actor_system& system, const serve_options& o,
                           std::shared_ptr<runtime::storage::scan_job_store> jobs,
                           const scanner::scan_policy& policy, caf::actor scanners,
                           caf::actor analyzer, const node_telemetry& telemetry) {
  actors::scan_jobs_config cfg;
  cfg.db = std::move(jobs);
  cfg.policy = policy;
  cfg.scanners = std::move(scanners);
  cfg.analyzer = std::move(analyzer);
  cfg.chunk_size = static_cast<std::size_t>(o.scan_chunk);
  cfg.max_targets = o.scan_max_targets;
  cfg.target_metrics = o.target_metrics;
  cfg.scans_per_endpoint_per_minute = o.scans_per_endpoint_per_minute;
  cfg.json.max_depth = o.max_depth;
  cfg.metrics = telemetry.metrics;
  return system.spawn<caf::detached>(actors::scan_jobs, cfg);
}

qs::expected<actors::http_api_config> api_config(const serve_options& o,
                                                 const node_telemetry& telemetry) {
  actors::http_api_config cfg;
  cfg.health = telemetry.health;
  cfg.metrics = telemetry.metrics;
  cfg.batch.max_scan_results = o.max_scan_results;
  cfg.json.max_depth = o.max_depth;
  cfg.weights = {o.weight_quantum, o.weight_threat, o.weight_anomaly};
  cfg.auth_failures_per_minute = o.auth_failures_per_minute;
  if (!o.api_keys.empty()) {
    auto keys = runtime::auth::load_api_keys(o.api_keys);
    if (!keys)
      return keys.error();
    for (const auto& warning : keys->warnings)
      std::cerr << "qscan: warning: " << warning << std::endl;
    cfg.keys = std::move(keys->table);
  }
  return cfg;
}

qs::expected<bool> check_listen(const serve_options& o) {
  auto listen = runtime::config::parse_address(o.listen);
  if (!listen)
    return qs::error{errc::bad_option, "--listen: expected HOST:PORT, got \"" + o.listen + "\""};
  if (o.api_keys.empty() && !runtime::config::is_loopback(listen->host) && !o.insecure_listen)
    return qs::error{errc::bad_option,
                     "refusing to listen on " + o.listen +
                         " without --api-keys; give keys, or --insecure-listen to accept "
                         "the risk"};
  return true;
}

qs::expected<std::unique_ptr<runtime::http::server>>
start_http(const serve_options& o, std::shared_ptr<actors::http_api> api) {
  auto listen = runtime::config::parse_address(o.listen);
  if (!listen)
    return {runtime::http::errc::bad_address,
            "--listen: expected HOST:PORT, got \"" + o.listen + "\""};
  runtime::http::server_options http_cfg;
  http_cfg.host = listen->host;
  http_cfg.port = listen->port;
  http_cfg.body_limit = o.body_limit;
  http_cfg.read_timeout = std::chrono::milliseconds(o.read_timeout_ms);
  http_cfg.idle_timeout = std::chrono::milliseconds(o.idle_timeout_ms);
  http_cfg.max_connections = o.max_connections;
  http_cfg.threads = o.io_threads;
  http_cfg.header_limit = o.header_limit;
  http_cfg.body_budget = o.body_budget;
  http_cfg.tls_cert = o.tls_cert;
  http_cfg.tls_key = o.tls_key;
  http_cfg.on_answer = [api](std::string_view route, unsigned status, double seconds) {
    api->observe(route, status, seconds);
  };
  return runtime::http::start_server(
      http_cfg, [api](runtime::http::request req, runtime::http::respond_fn respond) {
        api->handle(std::move(req), std::move(respond));
      });
}

void reload_bridge(const serve_options& o, actors::http_api& api, runtime::http::server& server) {
  std::string outcome = "nothing to reload";
  if (!o.api_keys.empty()) {
    auto keys = runtime::auth::load_api_keys(o.api_keys);
    if (!keys) {
      outcome = "kept the old API keys: " + keys.error().message;
    } else {
      for (const auto& warning : keys->warnings)
        std::cerr << "qscan: warning: " << warning << std::endl;
      api.set_keys(std::move(keys->table));
      outcome = std::to_string(api.key_count()) + " API keys loaded";
    }
  }
  if (!o.tls_cert.empty()) {
    auto reloaded = server.reload_tls();
    outcome += reloaded ? "; TLS certificate reloaded"
                        : "; kept the old TLS certificate: " + reloaded.error().message;
  }
  std::cerr << "qscan: SIGHUP: " << outcome << std::endl;
  runtime::auth::audit("reload", runtime::auth::os_user(), {{"outcome", outcome}});
}

std::string listening_line(const serve_options& o, unsigned short port) {
  const std::string host = runtime::config::parse_address(o.listen)->host;
  const std::string shown = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return std::string("listening on ") + (o.tls_cert.empty() ? "http" : "https") + "://" + shown +
         ":" + std::to_string(port);
}

} // namespace qs::nodes
