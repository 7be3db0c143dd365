// The worker roles of one node as CAF actors, spawned the same way by `qscan serve`
// (every role in one process) and `qscan node` (the roles it was given): a supervised
// predictor pool, keyed anomaly shards, and persistence over a group committer. Also
// what both commands share to set up: the node's health board and metrics, the CAF
// system configuration, the HTTP API configuration from the options, and the HTTP
// server.
#pragma once

#include <atomic>
#include <csignal>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <caf/all.hpp>

#include "actors/bridge/http_api.hpp"
#include "actors/predictor/exploit_service.hpp"
#include "actors/scanner/scan_policy.hpp"
#include "nodes/errc.hpp"
#include "nodes/node_telemetry.hpp"
#include "nodes/serve_options.hpp"
#include "runtime/http/server.hpp"
#include "runtime/storage/executor.hpp"
#include "runtime/storage/stores.hpp"

namespace qs::nodes {

/// Blocks SIGINT, SIGTERM and SIGHUP in this thread and every thread it starts
/// later, so the main thread can wait for them (sigwait, sigtimedwait).
sigset_t block_stop_signals();

/// Waits for SIGINT or SIGTERM and returns it, calling `every` about every 200 ms
/// (returns 0 when it says false) and `on_hangup` on each SIGHUP.
int wait_for_stop(const sigset_t& signals, const std::function<bool()>& every,
                  const std::function<void()>& on_hangup = {});

/// The CAF configuration both commands use (sharing scheduler, quiet logger).
void configure_actor_system(caf::actor_system_config& cfg, const serve_options& o);

/// The exploit model of this node: --exploit-model, --cve-catalogue (or
/// `default_catalogue`), --no-kev-lookup; `models` keeps model versions and
/// labelled examples; the newest stored version is read at the start only when
/// `read_stored` (a local store: a remote one is not reachable before joining).
qs::expected<std::shared_ptr<actors::exploit_service>>
start_exploit_service(const serve_options& o, std::shared_ptr<runtime::storage::model_store> models,
                      bool read_stored, const std::string& default_catalogue);

/// The threads that make this node's storage calls (--storage-threads).
std::shared_ptr<runtime::storage::executor> storage_threads(const serve_options& o);

caf::actor spawn_predictors(caf::actor_system& system, const serve_options& o,
                            std::shared_ptr<actors::model_slot> models,
                            const node_telemetry& telemetry);

/// The shards and the loader that rebuilds their assets from `history` on
/// `threads`. `ring_generation`: see actors/anomaly/anomaly_shard.hpp (cluster
/// nodes only).
caf::actor spawn_anomaly_shards(caf::actor_system& system, const serve_options& o,
                                std::shared_ptr<runtime::storage::history_store> history,
                                std::shared_ptr<runtime::storage::executor> threads,
                                std::shared_ptr<const std::atomic<std::uint64_t>> ring_generation,
                                const node_telemetry& telemetry);

/// What scans may reach: --scan-allow and --scan-files-root.
qs::expected<scanner::scan_policy> scan_policy_of(const serve_options& o);

/// The scanner role (detached: it waits for its scans when it exits).
caf::actor spawn_scanner(caf::actor_system& system, const serve_options& o,
                         const scanner::scan_policy& policy, const node_telemetry& telemetry);

/// The scan jobs of POST /v1/scans (detached: it resolves names and calls storage),
/// scanning with `scanners` and analysing with `analyzer` (a bridge actor).
caf::actor spawn_scan_jobs(caf::actor_system& system, const serve_options& o,
                           std::shared_ptr<runtime::storage::scan_job_store> jobs,
                           const scanner::scan_policy& policy, caf::actor scanners,
                           caf::actor analyzer, const node_telemetry& telemetry);

/// The HTTP API's configuration from the options (API keys are read here), reporting
/// the node's `telemetry`.
qs::expected<actors::http_api_config> api_config(const serve_options& o,
                                                 const node_telemetry& telemetry);

/// Checks `o.listen` (a non-loopback address needs API keys or --insecure-listen).
qs::expected<bool> check_listen(const serve_options& o);

/// Starts the HTTP server on `o.listen` for `api` (which counts its answers); prints
/// nothing.
qs::expected<std::unique_ptr<runtime::http::server>>
start_http(const serve_options& o, std::shared_ptr<actors::http_api> api);

/// On SIGHUP: reads the API key file and the TLS files again; what cannot be
/// read is logged and the old one stays. Written to the audit log.
void reload_bridge(const serve_options& o, actors::http_api& api, runtime::http::server& server);

/// "listening on http://HOST:PORT" (https with TLS) for a started server (IPv6
/// hosts in brackets).
std::string listening_line(const serve_options& o, unsigned short port);

} // namespace qs::nodes
