#include "nodes/serve_command.hpp"

#include <csignal>
#include <filesystem>
#include <iostream>

#include <caf/all.hpp>

#include "actors/analytics/rule_threat_model.hpp"
#include "actors/anomaly/anomaly_shard.hpp"
#include "actors/bridge/bridge_actor.hpp"
#include "actors/bridge/http_api.hpp"
#include "actors/coordinator/coordinator.hpp"
#include "actors/persistence/persistence.hpp"
#include "actors/predictor/predictor_worker.hpp"
#include "actors/supervision/pool.hpp"
#include "nodes/serve_options.hpp"
#include "runtime/config/address.hpp"
#include "runtime/http/server.hpp"
#include "runtime/storage/group_committer.hpp"

namespace qs::nodes {

namespace {

int fail(const std::string& why) {
  std::cerr << "qscan serve: " << why << "\n";
  return 2;
}

// Blocks SIGINT and SIGTERM in this thread and every thread it starts, so the
// main thread can wait for them with sigwait.
sigset_t block_stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return set;
}

} // namespace

int run_serve(const std::vector<std::string>& args) {
  serve_options o;
  runtime::config::option_set options;
  register_options(options, o);
  for (const auto& a : args)
    if (a == "--help" || a == "-h") {
      std::cout << "usage: qscan serve [options]\n\nRuns every role in one process with an "
                   "embedded SQLite database and serves the HTTP bridge.\n\nOptions:\n"
                << options.help();
      return 0;
    }
  if (auto why = options.load(args); !why.empty())
    return fail(why);
  auto listen = runtime::config::parse_address(o.listen);
  if (!listen)
    return fail("--listen: expected HOST:PORT, got \"" + o.listen + "\"");
  if (o.api_keys.empty() && !runtime::config::is_loopback(listen->host) && !o.insecure_listen)
    return fail("refusing to listen on " + o.listen +
                " without --api-keys; give keys, or --insecure-listen to accept the risk");
  if (o.sync != "full" && o.sync != "normal")
    return fail("--sync: expected full or normal, got \"" + o.sync + "\"");

  actors::http_api_config api_cfg;
  api_cfg.batch.max_scan_results = o.max_scan_results;
  api_cfg.json.max_depth = o.max_depth;
  api_cfg.weights = {o.weight_quantum, o.weight_threat, o.weight_anomaly};
  if (!o.api_keys.empty()) {
    auto keys = runtime::auth::load_api_keys(o.api_keys);
    if (auto* why = std::get_if<std::string>(&keys))
      return fail(*why);
    api_cfg.keys = std::get<runtime::auth::key_table>(std::move(keys));
  }

  std::error_code ec;
  std::filesystem::create_directories(o.data_dir, ec);
  if (ec)
    return fail("cannot create data folder " + o.data_dir + ": " + ec.message());
  auto opened = runtime::storage::open_sqlite(
      {(std::filesystem::path(o.data_dir) / "qscan.db").string(), o.sync == "full"});
  if (!opened)
    return fail(opened.error());
  std::shared_ptr<runtime::storage::storage> db = std::move(*opened);
  auto committer = std::make_shared<runtime::storage::group_committer>(*db);

  const sigset_t stop_signals = block_stop_signals();

  caf::actor_system_config caf_cfg;
  caf_cfg.set("scheduler.max-threads", static_cast<std::size_t>(o.actor_threads));
  caf_cfg.set("logger.verbosity", caf::atom("quiet"));
  // The default work-stealing scheduler lets idle threads sleep for up to 10 ms;
  // messages from the HTTP and storage threads would wait that long. The
  // sharing policy wakes a thread at once.
  caf_cfg.set("scheduler.policy", caf::atom("sharing"));
  caf::actor_system system{caf_cfg};

  // Every role is listed from the start: the ready line may come before the
  // actors have run their first step.
  for (const char* role : {"coordinator", "predictor", "anomaly", "persistence", "bridge"})
    actors::health_board().set(role, "ok");
  const bool faults = o.fault_injection;
  auto models = std::make_shared<actors::model_slot>(
      std::shared_ptr<const analytics::threat_model>(analytics::make_rule_threat_model()));

  actors::pool_config predictor_cfg;
  predictor_cfg.role = "predictor";
  predictor_cfg.size = static_cast<std::size_t>(o.predictor_workers);
  predictor_cfg.task_timeout = std::chrono::milliseconds(o.task_timeout_ms);
  predictor_cfg.max_restarts = static_cast<std::size_t>(o.max_restarts);
  predictor_cfg.restart_window = std::chrono::milliseconds(o.restart_window_ms);
  auto predictors = system.spawn(
      actors::pool<actors::predict_atom, actors::predictions_outcome>::make, predictor_cfg,
      actors::worker_factory([models, faults](caf::local_actor* parent, std::size_t) {
        return parent->spawn(actors::predictor_worker, models, faults);
      }),
      actors::route_fn{});

  actors::pool_config anomaly_cfg = predictor_cfg;
  anomaly_cfg.role = "anomaly";
  anomaly_cfg.size = static_cast<std::size_t>(o.anomaly_shards);
  anomaly_cfg.keyed = true;
  auto shards =
      system.spawn(actors::pool<actors::detect_atom, actors::anomalies_outcome>::make, anomaly_cfg,
                   actors::worker_factory([db, faults](caf::local_actor* parent, std::size_t) {
                     return parent->spawn(actors::anomaly_shard, db, faults);
                   }),
                   actors::route_fn([](const actors::slice& s, std::size_t n) {
                     return actors::shard_of(s.work->results[s.indices.front()].asset_id, n);
                   }));

  auto persistence = system.spawn(actors::persistence, committer);

  actors::coordinator_config coord_cfg;
  coord_cfg.predictors = predictors;
  coord_cfg.anomaly_shards = shards;
  coord_cfg.persistence = persistence;
  coord_cfg.anomaly_shard_count = anomaly_cfg.size;
  coord_cfg.weights = api_cfg.weights;
  auto coordinator = system.spawn(actors::coordinator, coord_cfg);

  actors::bridge_config bridge_cfg{coordinator, std::chrono::milliseconds(o.request_deadline_ms),
                                   api_cfg.weights, committer};
  auto bridge = system.spawn(actors::bridge_actor, bridge_cfg);

  auto api = std::make_shared<actors::http_api>(api_cfg, bridge, db);
  runtime::http::server_options http_cfg;
  http_cfg.host = listen->host;
  http_cfg.port = listen->port;
  http_cfg.body_limit = o.body_limit;
  http_cfg.read_timeout = std::chrono::milliseconds(o.read_timeout_ms);
  http_cfg.idle_timeout = std::chrono::milliseconds(o.idle_timeout_ms);
  http_cfg.max_connections = o.max_connections;
  http_cfg.threads = o.io_threads;
  auto started = runtime::http::start_server(
      http_cfg, [api](runtime::http::request req, runtime::http::respond_fn respond) {
        api->handle(std::move(req), std::move(respond));
      });
  if (!started.server) {
    for (const auto& a : {predictors, shards, persistence, coordinator, bridge})
      caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
    return fail(started.error);
  }
  const std::string shown_host =
      listen->host.find(':') != std::string::npos ? "[" + listen->host + "]" : listen->host;
  std::cout << "listening on http://" << shown_host << ":" << started.server->port() << std::endl;
  std::cerr << "qscan serve: data in " << o.data_dir << ", " << o.predictor_workers
            << " predictor workers, " << o.anomaly_shards << " anomaly shards" << std::endl;

  int signal = 0;
  sigwait(&stop_signals, &signal);
  std::cerr << "qscan serve: " << (signal == SIGINT ? "SIGINT" : "SIGTERM")
            << ": finishing in-flight requests" << std::endl;
  // Stop accepting and let in-flight requests finish while the actors still run.
  started.server->stop(std::chrono::milliseconds(o.request_deadline_ms + 1000));
  for (const auto& a : {bridge, coordinator, predictors, shards, persistence})
    caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
  system.await_all_actors_done();
  committer->flush();
  std::cerr << "qscan serve: stopped; storage flushed" << std::endl;
  return 0;
}

} // namespace qs::nodes
