// `qscan node --roles coordinator[,persistence][,bridge]`: the cluster's id, the
// coordinator link, the coordinator actor with remote stand-ins for the worker roles
// (persistence local when this node has the role), its stores (its own database with
// the persistence role, else a persistence node's, through persistence tasks), the
// handler of the nodes' requests, and (with the bridge role) a bridge that asks the
// coordinator actor here.
#include <algorithm>
#include <iostream>
#include <mutex>

#include <zmq.hpp>

#include "actors/anomaly/anomaly_shard.hpp"
#include "actors/bridge/bridge_actor.hpp"
#include "actors/cluster/remote_roles.hpp"
#include "actors/cluster/request_handler.hpp"
#include "actors/cluster/storage_transports.hpp"
#include "actors/coordinator/coordinator.hpp"
#include "actors/persistence/persistence.hpp"
#include "actors/supervision/role_health.hpp"
#include "nodes/local_roles.hpp"
#include "nodes/node_parts.hpp"
#include "runtime/cluster/cluster_id.hpp"
#include "runtime/cluster/cluster_view.hpp"
#include "runtime/cluster/coordinator_link.hpp"
#include "runtime/config/address.hpp"
#include "runtime/metrics/registry.hpp"
#include "runtime/storage/errc.hpp"
#include "runtime/storage/remote_stores.hpp"

namespace qs::nodes {

namespace {

// Actors the link's callbacks talk to, set once they exist.
struct targets {
  slot<caf::actor> remote;
  slot<caf::actor> handler;
  slot<std::shared_ptr<actors::persistence_calls>> calls;
};

// Whether a live node runs the persistence role (and has not reported it down).
bool persistence_up(const runtime::cluster::coordinator_link& link) {
  for (const auto& node : link.nodes()) {
    if (node.state == runtime::cluster::node_state::dead)
      continue;
    const auto& roles = node.roles;
    const auto& down = node.roles_down;
    if (std::find(roles.begin(), roles.end(), "persistence") != roles.end() &&
        std::find(down.begin(), down.end(), "persistence") == down.end())
      return true;
  }
  return false;
}

// The coordinator itself, first in the cluster view.
runtime::cluster::node_info self_entry(const node_setup& setup, const std::string& endpoint) {
  runtime::cluster::node_info self;
  self.id =
      setup.o.id.empty() ? runtime::cluster::node_id_from_key(setup.keys.public_key) : setup.o.id;
  self.public_key = setup.keys.public_key;
  self.address = endpoint;
  self.roles.assign(setup.roles.begin(), setup.roles.end());
  self.state = runtime::cluster::node_state::up;
  self.last_heartbeat = std::chrono::steady_clock::now();
  return self;
}

void publish_metrics(const runtime::cluster::coordinator_link& link,
                     runtime::metrics::registry& m) {
  std::map<std::string, int> by_state{{"joining", 0}, {"up", 0}, {"draining", 0}, {"dead", 0}};
  std::int64_t in_flight = 0;
  for (const auto& node : link.nodes()) {
    ++by_state[std::string(runtime::cluster::to_string(node.state))];
    in_flight += node.in_flight;
  }
  for (const auto& [state, count] : by_state)
    m.set("qscan_cluster_nodes", "state=\"" + state + "\"", count);
  m.set("qscan_cluster_tasks_in_flight", "", static_cast<double>(in_flight));
  m.set("qscan_cluster_dead_letters", "", static_cast<double>(link.dead_letters().size()));
  m.set("qscan_cluster_malformed_messages", "", static_cast<double>(link.malformed()));
  m.set("qscan_cluster_messages_sent", "", static_cast<double>(link.messages_sent()));
  m.set("qscan_cluster_wire_messages_sent", "", static_cast<double>(link.wire_messages_sent()));
}

} // namespace

int run_coordinator_node(node_setup& setup) {
  const node_options& o = setup.o;
  caf::actor_system& system = *setup.system;
  zmq::context_t context;
  auto to = std::make_shared<targets>();

  auto cluster_id = runtime::cluster::coordinator_cluster_id(
      o.common.data_dir, o.cluster_id.empty() ? std::nullopt : std::optional(o.cluster_id));
  if (!cluster_id) {
    node_log(cluster_id.error().message);
    return 1;
  }
  runtime::cluster::coordinator_options co;
  co.endpoint = o.cluster_listen;
  co.keys = setup.keys;
  co.node_id = o.id; // empty: derived from the key, as in the cluster view
  co.cluster_id = *cluster_id;
  if (setup.db) { // the persistence role here: this database is the cluster's
    if (auto claimed = setup.db->claim(*cluster_id); !claimed) {
      node_log(claimed.error().message);
      return 1;
    }
    co.own_database = {self_entry(setup, "").id, setup.db->id(), setup.db->kind(), *cluster_id};
  }
  node_log("cluster " + *cluster_id);
  co.allow_dir = o.allow;
  co.heartbeat_interval = std::chrono::milliseconds(o.heartbeat_ms);
  co.missed_heartbeats = o.missed_heartbeats;
  co.task_timeout = std::chrono::milliseconds(o.common.task_timeout_ms);
  co.forget_after = std::chrono::seconds(o.forget_after_s);
  runtime::cluster::coordinator_callbacks cb;
  cb.on_result = [to](const std::string& id, const std::string& payload) {
    if (auto calls = to->calls.get(); calls && calls->on_result(id, payload))
      return;
    caf::anon_send(to->remote.get(), actors::task_done_atom::value, id,
                   actors::wire_answer(payload));
  };
  cb.on_abandoned = [to](const std::string& id, const qs::error& why) {
    if (auto calls = to->calls.get(); calls && calls->on_abandoned(id, why))
      return;
    caf::anon_send(to->remote.get(), actors::task_done_atom::value, id, actors::wire_answer(why));
  };
  cb.on_request = [to](const std::string&, protocol::message_type kind, const std::string& body,
                       runtime::cluster::request_answer answer) {
    auto reply = std::make_shared<std::function<void(actors::wire_answer)>>(std::move(answer));
    auto handler = to->handler.get();
    if (!handler)
      return (*reply)(qs::error(runtime::cluster::errc::starting, "the coordinator is starting"));
    caf::anon_send(handler, actors::request_atom::value, kind, body, actors::wire_reply{reply});
  };
  cb.on_log = node_log;
  auto started = runtime::cluster::coordinator_link::start(context, co, cb);
  if (!started) {
    node_log("cannot start the coordinator: " + started.error().message);
    return 1;
  }
  std::shared_ptr<runtime::cluster::coordinator_link> link = std::move(*started);
  struct stop_link { // on every return, before the ZeroMQ context closes
    std::shared_ptr<runtime::cluster::coordinator_link> link;
    ~stop_link() { link->stop(); }
  } stop_on_return{link};

  // Without the database here, storage is a persistence node's, through tasks.
  auto calls = std::make_shared<actors::persistence_calls>(
      // Weakly: the link's callbacks hold these calls, which must not hold the link.
      [weak = std::weak_ptr(link)](std::string id, std::string payload,
                                   std::chrono::steady_clock::time_point deadline) {
        if (auto link = weak.lock())
          link->submit(std::move(id), protocol::role::persistence, std::move(payload), deadline);
      },
      [weak = std::weak_ptr(link)] {
        auto link = weak.lock();
        return link && persistence_up(*link);
      },
      run_id());
  to->calls.set(calls);
  const auto storage_deadline = std::chrono::milliseconds(o.common.request_deadline_ms);
  if (!setup.db)
    setup.stores = runtime::storage::remote_stores(calls->transport(), storage_deadline);

  actors::remote_roles_config remote_cfg;
  remote_cfg.submit = [link](std::string id, protocol::role role, std::string payload,
                             std::chrono::steady_clock::time_point deadline, std::string key) {
    link->submit(std::move(id), role, std::move(payload), deadline, std::move(key));
  };
  remote_cfg.task_deadline = std::chrono::milliseconds(o.common.request_deadline_ms);
  remote_cfg.anomaly_shards = static_cast<std::size_t>(o.virtual_shards);
  remote_cfg.id_prefix = run_id();
  auto remote = system.spawn(actors::remote_roles, remote_cfg);

  actors::coordinator_config coord_cfg;
  coord_cfg.predictors = remote;
  coord_cfg.anomaly_shards = remote;
  // With the persistence role here, batches are written by this node: no task, no
  // encoding of the batch, one hop less per request.
  const caf::actor persistence =
      setup.has("persistence") ? system.spawn(actors::persistence, setup.committer) : remote;
  coord_cfg.persistence = persistence;
  coord_cfg.anomaly_shard_count = static_cast<std::size_t>(o.virtual_shards);
  // One anomaly task per owner node and request, not one per virtual shard.
  coord_cfg.anomaly_group = [link,
                             shards = coord_cfg.anomaly_shard_count](const std::string& asset) {
    const std::size_t shard = actors::shard_of(asset, shards);
    const auto owner = link->owner(protocol::role::anomaly, "shard-" + std::to_string(shard));
    return owner ? std::hash<std::string>{}(*owner) : shard;
  };
  coord_cfg.weights = {o.common.weight_quantum, o.common.weight_threat, o.common.weight_anomaly};
  auto coordinator = system.spawn(actors::coordinator, coord_cfg);
  auto policy = scan_policy_of(o.common);
  if (!policy) {
    node_log(policy.error().message);
    return 1;
  }
  // The bridge actor in front of the coordinator: the HTTP bridge's when this node has
  // the role, and the scan jobs' way into the analysis pipeline (with its degraded
  // fallback, stored in this node's database).
  auto api_cfg = api_config(o.common, setup.telemetry);
  if (!api_cfg) {
    node_log(api_cfg.error().message);
    return 1;
  }
  actors::store_fn fallback_store;
  if (setup.committer)
    fallback_store = [committer = setup.committer](runtime::storage::write_batch batch, auto done) {
      committer->submit(std::move(batch), std::move(done));
    };
  else
    fallback_store = [calls, storage_deadline](runtime::storage::write_batch batch, auto done) {
      calls->write(batch, std::chrono::steady_clock::now() + storage_deadline, std::move(done));
    };
  actors::bridge_config bridge_cfg{
      coordinator, std::chrono::milliseconds(o.common.request_deadline_ms), api_cfg->weights,
      std::move(fallback_store), setup.telemetry.metrics};
  auto bridge = system.spawn(actors::bridge_actor, bridge_cfg);
  auto scans = spawn_scan_jobs(system, o.common, setup.stores.scan_jobs, *policy, remote, bridge,
                               setup.telemetry);

  const auto self = self_entry(setup, link->endpoint());
  auto view = [link, self, id = *cluster_id] {
    auto nodes = link->nodes();
    auto me = self;
    me.last_heartbeat = std::chrono::steady_clock::now();
    nodes.insert(nodes.begin(), me);
    return runtime::cluster::cluster_view_json(id, nodes, link->dead_letters(),
                                               std::chrono::steady_clock::now());
  };
  actors::request_handler_config handler_cfg;
  handler_cfg.coordinator = coordinator;
  handler_cfg.persistence = persistence;
  handler_cfg.cluster_view = view;
  handler_cfg.scan_jobs = scans;
  handler_cfg.stores = setup.stores;
  handler_cfg.storage_threads = setup.storage_threads;
  if (!setup.db) // store calls go to a persistence node as they came
    handler_cfg.forward_storage = calls;
  handler_cfg.storage_deadline = storage_deadline;
  auto handler = system.spawn(actors::request_handler, handler_cfg);
  to->remote.set(remote);
  to->handler.set(handler);
  std::cout << "cluster listening on " << link->endpoint() << std::endl;

  std::vector<caf::actor> actors{handler, scans, bridge, coordinator, remote, persistence};
  exit_actors_on_return exit_actors{actors};
  std::unique_ptr<runtime::http::server> http;
  std::shared_ptr<actors::http_api> api;
  if (setup.has("bridge")) {
    for (const char* role : {"coordinator", "bridge"})
      setup.telemetry.health->set(role, "ok");
    api_cfg->scan_jobs = scans;
    api_cfg->cluster_view = [view](auto answer) { answer(200, view()); };
    auto exploit = start_exploit_service(o.common, setup.stores.models, setup.db != nullptr, "");
    if (!exploit) {
      node_log(exploit.error().message);
      return 1;
    }
    api_cfg->exploit = *exploit;
    api_cfg->cluster_id = [id = *cluster_id] { return id; };
    api = std::make_shared<actors::http_api>(*api_cfg, bridge, setup.stores, setup.storage_threads);
    auto served = start_http(o.common, api);
    if (!served) {
      node_log(served.error().message);
      return 1;
    }
    http = std::move(*served);
    std::cout << listening_line(o.common, http->port()) << std::endl;
  }

  const int signal = wait_for_stop(
      setup.stop_signals,
      [&] {
        publish_metrics(*link, *setup.telemetry.metrics);
        return true;
      },
      [&] {
        if (http)
          reload_bridge(o.common, *api, *http);
      });
  node_log(std::string(signal == SIGINT ? "SIGINT" : "SIGTERM") + ": stopping");
  if (http)
    http->stop(std::chrono::milliseconds(o.common.request_deadline_ms + 1000));
  link->stop();
  node_log("stopped");
  return 0;
}

} // namespace qs::nodes
