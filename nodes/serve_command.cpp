#include "nodes/serve_command.hpp"

#include <csignal>
#include <filesystem>
#include <iostream>

#include <caf/all.hpp>

#include "actors/bridge/bridge_actor.hpp"
#include "actors/bridge/http_api.hpp"
#include "actors/coordinator/coordinator.hpp"
#include "actors/persistence/persistence.hpp"
#include "actors/supervision/role_health.hpp"
#include "nodes/local_roles.hpp"
#include "nodes/serve_options.hpp"
#include "runtime/cluster/cluster_id.hpp"
#include "runtime/cluster/cluster_view.hpp"
#include "runtime/config/address.hpp"
#include "runtime/storage/database.hpp"
#include "runtime/storage/group_committer.hpp"

namespace qs::nodes {

namespace {

int fail(const std::string& why) {
  std::cerr << "qscan serve: " << why << "\n";
  return 2;
}

// GET /v1/cluster of a one-process cluster: this process, running every role.
std::string local_cluster_view(const std::string& cluster_id, const actors::role_health& health) {
  runtime::cluster::node_info self;
  self.id = "serve";
  self.roles = {"coordinator", "predictor", "anomaly", "persistence", "scanner", "bridge"};
  self.state = runtime::cluster::node_state::up;
  const auto now = std::chrono::steady_clock::now();
  self.last_heartbeat = now;
  for (const auto& [role, st] : health.snapshot())
    if (st.state == "down")
      self.roles_down.push_back(role);
  return runtime::cluster::cluster_view_json(cluster_id, {self}, {}, now);
}

} // namespace

int run_serve(const std::vector<std::string>& args) {
  // First, so every thread started later inherits the mask (see node_command.cpp).
  const sigset_t stop_signals = block_stop_signals();
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
  if (auto ok = check_listen(o); !ok)
    return fail(ok.error().message);
  if (o.sync != "full" && o.sync != "normal")
    return fail("--sync: expected full or normal, got \"" + o.sync + "\"");
  const node_telemetry telemetry; // this node's health board and metrics
  auto api_cfg_or = api_config(o, telemetry);
  if (!api_cfg_or)
    return fail(api_cfg_or.error().message);
  actors::http_api_config api_cfg = std::move(*api_cfg_or);
  auto policy = scan_policy_of(o);
  if (!policy)
    return fail(policy.error().message);

  std::error_code ec;
  std::filesystem::create_directories(o.data_dir, ec);
  if (ec)
    return fail("cannot create data folder " + o.data_dir + ": " + ec.message());
  auto opened = runtime::storage::database::open(
      {"sqlite:" + (std::filesystem::path(o.data_dir) / "qscan.db").string(), o.sync == "full"});
  if (!opened)
    return fail(opened.error().message);
  auto db = *opened;
  // `qscan serve` is a cluster of one: its database records it as the owner.
  auto owner = db->cluster_id();
  if (!owner)
    return fail(owner.error().message);
  const std::string cluster_id = *owner ? **owner : runtime::cluster::new_cluster_id();
  if (auto claimed = db->claim(cluster_id); !claimed)
    return fail(claimed.error().message);
  const auto stores = db->stores();
  auto threads = storage_threads(o);
  auto committer = std::make_shared<runtime::storage::group_committer>(db->writer());
  auto exploit = start_exploit_service(o, stores.models, true,
                                       (std::filesystem::path(o.data_dir) / "cves.db").string());
  if (!exploit)
    return fail(exploit.error().message);

  caf::actor_system_config caf_cfg;
  configure_actor_system(caf_cfg, o);
  caf::actor_system system{caf_cfg};

  // Every role is listed from the start: the ready line may come before the
  // actors have run their first step.
  for (const char* role :
       {"coordinator", "predictor", "anomaly", "persistence", "scanner", "bridge"})
    telemetry.health->set(role, "ok");
  auto predictors = spawn_predictors(system, o, (*exploit)->slot(), telemetry);
  auto shards = spawn_anomaly_shards(system, o, stores.history, threads, nullptr, telemetry);
  auto persistence = system.spawn(actors::persistence, committer);

  actors::coordinator_config coord_cfg;
  coord_cfg.predictors = predictors;
  coord_cfg.anomaly_shards = shards;
  coord_cfg.persistence = persistence;
  coord_cfg.anomaly_shard_count = static_cast<std::size_t>(o.anomaly_shards);
  coord_cfg.weights = api_cfg.weights;
  auto coordinator = system.spawn(actors::coordinator, coord_cfg);

  actors::bridge_config bridge_cfg{coordinator, std::chrono::milliseconds(o.request_deadline_ms),
                                   api_cfg.weights,
                                   [committer](runtime::storage::write_batch batch, auto done) {
                                     committer->submit(std::move(batch), std::move(done));
                                   },
                                   telemetry.metrics};
  auto bridge = system.spawn(actors::bridge_actor, bridge_cfg);
  auto scanner = spawn_scanner(system, o, *policy, telemetry);
  auto scans = spawn_scan_jobs(system, o, stores.scan_jobs, *policy, scanner, bridge, telemetry);
  // What the API holds of the actors is in a copy made after the actor system, so it
  // is gone before the system waits for its actors at the end.
  auto served_cfg = api_cfg;
  served_cfg.scan_jobs = scans;
  served_cfg.exploit = *exploit;

  served_cfg.cluster_view = [cluster_id, health = telemetry.health](auto answer) {
    answer(200, local_cluster_view(cluster_id, *health));
  };
  served_cfg.cluster_id = [cluster_id] { return cluster_id; };
  auto api = std::make_shared<actors::http_api>(served_cfg, bridge, stores, threads);
  auto started = start_http(o, api);
  if (!started) {
    for (const auto& a : {scans, scanner, predictors, shards, persistence, coordinator, bridge})
      caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
    return fail(started.error().message);
  }
  std::unique_ptr<runtime::http::server> server = std::move(*started);
  std::cout << listening_line(o, server->port()) << std::endl;
  std::cerr << "qscan serve: data in " << o.data_dir << ", " << o.predictor_workers
            << " predictor workers, " << o.anomaly_shards << " anomaly shards" << std::endl;

  const int signal = wait_for_stop(stop_signals, {}, [&] { reload_bridge(o, *api, *server); });
  std::cerr << "qscan serve: " << (signal == SIGINT ? "SIGINT" : "SIGTERM")
            << ": finishing in-flight requests" << std::endl;
  // Stop accepting and let in-flight requests finish while the actors still run.
  server->stop(std::chrono::milliseconds(o.request_deadline_ms + 1000));
  for (const auto& a : {scans, scanner, bridge, coordinator, predictors, shards, persistence})
    caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
  system.await_all_actors_done();
  committer->flush();
  std::cerr << "qscan serve: stopped; storage flushed" << std::endl;
  return 0;
}

} // namespace qs::nodes
