// `qscan node` without the coordinator role: joins the coordinator with a node link,
// runs the worker roles it was given (the same actors as `qscan serve`) behind a task
// runner, and with the bridge role serves HTTP, asking the coordinator through the
// link, answering degraded into the durable spool when it cannot, and replaying the
// spool once it can. A persistence node serves its own database (once it has claimed
// it for the cluster that welcomed it); every other node's stores ask the coordinator.
#include <algorithm>
#include <atomic>
#include <filesystem>
#include <iostream>
#include <thread>

#include <boost/json/parse.hpp>
#include <zmq.hpp>

#include "actors/bridge/bridge_actor.hpp"
#include "actors/cluster/coordinator_client.hpp"
#include "actors/cluster/request_codec.hpp"
#include "actors/cluster/spool_replayer.hpp"
#include "actors/cluster/storage_transports.hpp"
#include "actors/cluster/task_runner.hpp"
#include "actors/cluster/wire_codec.hpp"
#include "actors/persistence/persistence.hpp"
#include "nodes/local_roles.hpp"
#include "nodes/node_parts.hpp"
#include "runtime/cluster/node_link.hpp"
#include "runtime/config/address.hpp"
#include "runtime/metrics/registry.hpp"
#include "runtime/storage/remote_stores.hpp"
#include "runtime/storage/spool.hpp"

namespace qs::nodes {

namespace {

// What the link's callbacks talk to, set once it exists.
struct targets {
  slot<caf::actor> runner;
  slot<caf::actor> client;
  slot<std::shared_ptr<runtime::cluster::node_link>> link;
  slot<std::string> cluster_id; ///< as the last WELCOME said
  /// A persistence node serves its database only once it is known to be this
  /// cluster's (claimed at WELCOME).
  std::atomic<bool> database_ok{false};
};

// A persistence node's database as its HELLO tells it.
runtime::cluster::served_database served(const std::string& node_id,
                                         runtime::storage::database& db) {
  auto owner = db.cluster_id();
  return {node_id, db.id(), db.kind(), owner && *owner ? **owner : std::string()};
}

// The worker roles' state as this bridge sees it in the cluster view: "ok" when at
// least one live node runs the role, else "down" with why.
void update_roles_from_view(const std::string& view, const std::set<std::string>& own,
                            actors::role_health& health) {
  boost::system::error_code ec;
  auto parsed = boost::json::parse(view, ec);
  if (ec || !parsed.is_object() || !parsed.as_object().contains("nodes"))
    return;
  std::map<std::string, int> live{{"predictor", 0}, {"anomaly", 0}, {"persistence", 0}};
  for (const auto& node : parsed.as_object().at("nodes").as_array()) {
    const auto& n = node.as_object();
    if (n.at("state").as_string() != "up")
      continue;
    for (const auto& role : n.at("roles").as_array()) {
      bool down = false;
      for (const auto& d : n.at("roles_down").as_array())
        down = down || d == role;
      if (!down && live.count(std::string(role.as_string())) > 0)
        ++live[std::string(role.as_string())];
    }
  }
  for (const auto& [role, count] : live)
    if (own.count(role) == 0) // this node's own roles are its supervisors' to report
      health.set(role, count > 0 ? "ok" : "down",
                 count > 0 ? "" : "no live node runs the " + role + " role");
}

using cluster_answer = std::function<void(unsigned, std::string)>;

// The coordinator's answer to REQUEST_MODEL: nothing new, or the newest stored model,
// adopted on a thread of its own (parsing a model must not hold the socket thread).
void adopt_model(std::shared_ptr<actors::exploit_service> exploit,
                 const actors::wire_answer& answer) {
  if (!exploit)
    return;
  if (!answer)
    return node_log("cannot ask for a newer exploit model: " + answer.error().message);
  auto offer = actors::wire::decode_model_answer(*answer);
  if (!offer)
    return node_log("the coordinator's exploit model does not decode: " + offer.error().message);
  if (!*offer)
    return; // the one this node runs is the newest
  std::thread([exploit, model = std::move(**offer)] {
    if (model.version == exploit->version())
      return;
    if (auto why = exploit->adopt(model.model); !why.empty())
      node_log("cannot adopt exploit model " + model.version + ": " + why);
    else
      node_log("serving exploit model " + model.version);
  }).detach();
}

// Answers GET /v1/cluster with the coordinator's view, or 503 when it does not come.
void ask_cluster_view(caf::event_based_actor* self, const caf::actor& client,
                      const cluster_answer& answer) {
  self->request(client, std::chrono::seconds(2), actors::cluster_atom::value)
      .then(
          [answer](actors::job_outcome& out) {
            if (out.failure.empty())
              answer(200, out.body);
            else
              answer(503, runtime::http::error_body("cluster_unavailable", out.failure));
          },
          [answer](caf::error&) {
            answer(503, runtime::http::error_body("cluster_unavailable",
                                                  "the coordinator did not answer within 2 s"));
          });
}

} // namespace

int run_member_node(node_setup& setup) {
  const node_options& o = setup.o;
  caf::actor_system& system = *setup.system;
  zmq::context_t context;
  auto to = std::make_shared<targets>();
  auto ring_generation = std::make_shared<std::atomic<std::uint64_t>>(0);
  auto in_flight = std::make_shared<std::atomic<int>>(0);
  auto refused = std::make_shared<std::atomic<bool>>(false);
  auto joined_once = std::make_shared<std::atomic<bool>>(false);
  const bool worker = std::any_of(setup.roles.begin(), setup.roles.end(), [](const auto& name) {
    return protocol::runs_tasks(*protocol::role_named(name));
  });

  auto coordinator_key = runtime::cluster::load_public_key(o.coordinator_key);
  if (!coordinator_key) {
    node_log("--coordinator-key: " + coordinator_key.error().message);
    return 1;
  }
  runtime::cluster::node_options no;
  no.coordinator = o.join;
  no.coordinator_key = *coordinator_key;
  no.keys = setup.keys;
  no.node_id = o.id;
  for (const auto& name : setup.roles)
    if (const auto role = protocol::role_named(name))
      no.roles.push_back(*role);
  no.capacity = o.capacity;
  // A scanner takes as many scan tasks as it runs at once: the others wait at the
  // coordinator, where a second scanner can take them.
  no.role_capacity[protocol::role::scanner] = o.common.scan_workers;
  no.heartbeat_interval = std::chrono::milliseconds(o.heartbeat_ms);
  no.missed_heartbeats = o.missed_heartbeats;
  no.hello_protocol_version = static_cast<std::uint16_t>(o.hello_version);
  no.faults = {o.drop_answers, o.duplicate_answers, std::chrono::milliseconds(o.delay_answers_ms)};

  if (setup.db) {
    no.database = [db = setup.db, id = o.id] { return served(id, *db); };
  } else { // cluster state is a persistence node's, asked through the coordinator
    setup.stores = runtime::storage::remote_stores(
        actors::through_coordinator([to](std::string body, auto answer) {
          if (auto link = to->link.get())
            return link->request(protocol::message_type::request_storage, std::move(body),
                                 std::move(answer));
          answer(qs::error(runtime::storage::errc::unavailable, "the node has not joined yet"));
        }),
        std::chrono::milliseconds(o.common.request_deadline_ms));
  }

  runtime::cluster::node_callbacks cb;
  cb.on_task = [to, in_flight](const std::string&, protocol::role role, const std::string& payload,
                               runtime::cluster::task_reply reply) {
    if (role == protocol::role::persistence && !to->database_ok)
      return reply(qs::error(runtime::storage::errc::refused,
                             "this node's database is not known to be this cluster's"));
    ++*in_flight;
    auto wrapped = std::make_shared<std::function<void(actors::wire_answer)>>(
        [reply = std::move(reply), in_flight](actors::wire_answer answer) {
          reply(std::move(answer));
          --*in_flight;
        });
    auto runner = to->runner.get();
    if (!runner)
      return (*wrapped)(qs::error(runtime::cluster::errc::starting, "the node is starting"));
    caf::anon_send(runner, actors::run_task_atom::value, role, payload,
                   actors::wire_reply{wrapped});
  };
  cb.on_welcome = [to, refused, db = setup.db, joined_once, worker,
                   join = o.join](const protocol::welcome& welcome) {
    to->cluster_id.set(welcome.cluster_id);
    if (db) { // before any task: a database serves the cluster that first claims it
      if (auto claimed = db->claim(welcome.cluster_id); !claimed) {
        node_log("refusing to serve the cluster: " + claimed.error().message);
        *refused = true;
        return;
      }
      to->database_ok = true;
    }
    const std::string as = welcome.node_id + " (coordinator " + welcome.coordinator_id +
                           ", cluster " + welcome.cluster_id + ")";
    if (!joined_once->exchange(true)) {
      if (worker)
        std::cout << "joined " << join << std::endl;
      node_log("joined " + join + " as " + as);
    } else {
      node_log("rejoined " + join + " as " + as);
    }
  };
  cb.on_refused = [refused](const qs::error&) { *refused = true; }; // the link logs why
  // Set once the exploit service exists (predictor and bridge nodes): it follows the
  // newest stored model (REQUEST_MODEL).
  auto follower = std::make_shared<slot<std::shared_ptr<actors::exploit_service>>>();
  cb.on_shard_map = [ring_generation](const protocol::shard_map&) { ++*ring_generation; };
  cb.on_log = node_log;
  std::vector<caf::actor> actors;
  exit_actors_on_return exit_actors{actors};
  actors::task_runner_config runner_cfg;
  auto& health = *setup.telemetry.health;
  for (const auto& role : setup.roles)
    health.set(role, "ok");
  // One handler per role this node runs (actors/cluster/task_runner.hpp).
  auto& handlers = runner_cfg.handlers;
  // The exploit model serves this node's predictors and its bridge's model-info,
  // CVE route and retraining.
  std::shared_ptr<actors::exploit_service> exploit;
  if (setup.has("predictor") || setup.has("bridge")) {
    auto started = start_exploit_service(o.common, setup.stores.models, setup.db != nullptr, "");
    if (!started) {
      node_log(started.error().message);
      return 1;
    }
    exploit = *started;
    follower->set(exploit);
  }
  if (setup.has("predictor")) {
    actors.push_back(spawn_predictors(system, o.common, exploit->slot(), setup.telemetry));
    handlers[protocol::role::predictor] = actors::predictor_tasks(actors.back());
  }
  if (setup.has("anomaly")) {
    actors.push_back(spawn_anomaly_shards(system, o.common, setup.stores.history,
                                          setup.storage_threads, ring_generation, setup.telemetry));
    handlers[protocol::role::anomaly] =
        actors::anomaly_tasks(actors.back(), static_cast<std::size_t>(o.common.anomaly_shards));
  }
  if (setup.has("persistence")) {
    actors.push_back(system.spawn(actors::persistence, setup.committer));
    handlers[protocol::role::persistence] =
        actors::persistence_tasks(actors.back(), setup.stores, setup.storage_threads);
  }
  if (setup.has("scanner")) {
    auto policy = scan_policy_of(o.common);
    if (!policy) {
      node_log(policy.error().message);
      return 1;
    }
    actors.push_back(spawn_scanner(system, o.common, *policy, setup.telemetry));
    handlers[protocol::role::scanner] = actors::scanner_tasks(actors.back());
  }
  auto runner = system.spawn(actors::task_runner, runner_cfg);
  actors.push_back(runner);

  std::unique_ptr<runtime::http::server> http;
  std::shared_ptr<actors::http_api> api;
  caf::actor client;
  if (setup.has("bridge")) {
    health.set("coordinator", "down", "not joined yet");
    auto spool = runtime::storage::spool::open(
        (std::filesystem::path(o.common.data_dir) / "spool.db").string());
    if (!spool) {
      node_log(spool.error().message);
      return 1;
    }
    std::shared_ptr<runtime::storage::spool> spooled = std::move(*spool);
    actors::coordinator_client_config client_cfg;
    client_cfg.request = [to](protocol::message_type kind, std::string body,
                              std::function<void(actors::wire_answer)> answer) {
      if (auto link = to->link.get())
        return link->request(kind, std::move(body), std::move(answer));
      answer(qs::error(runtime::cluster::errc::no_node, "the node link is not started yet"));
    };
    client = system.spawn(actors::coordinator_client, client_cfg);
    actors.push_back(client);
    // Detached: every spool write is an fsync, which must not hold a scheduler thread.
    actors::spool_replayer_config replayer_cfg;
    replayer_cfg.spool = spooled;
    replayer_cfg.target = client;
    replayer_cfg.metrics = setup.telemetry.metrics;
    actors.push_back(system.spawn<caf::detached>(actors::spool_replayer, replayer_cfg));
    auto writer =
        system.spawn<caf::detached>(actors::spool_writer, spooled, setup.telemetry.metrics);
    actors.push_back(writer);
    auto api_cfg = api_config(o.common, setup.telemetry);
    if (!api_cfg) {
      node_log(api_cfg.error().message);
      return 1;
    }
    actors::bridge_config bridge_cfg{
        client, std::chrono::milliseconds(o.common.request_deadline_ms), api_cfg->weights,
        [writer](runtime::storage::write_batch batch, auto done) {
          auto appended = std::make_shared<std::function<void(expected<void>)>>(
              [done](expected<void> stored) { done(stored); });
          caf::anon_send(writer, actors::store_atom::value, actors::wire::encode_batch(batch),
                         actors::spool_done{appended});
        },
        setup.telemetry.metrics};
    auto bridge = system.spawn(actors::bridge_actor, bridge_cfg);
    actors.push_back(bridge);
    api_cfg->scan_jobs = client; // POST /v1/scans goes to the coordinator's scan jobs
    api_cfg->exploit = exploit;
    api_cfg->cluster_id = [to] { return to->cluster_id.get(); };
    api_cfg->cluster_view = [&system, client](cluster_answer answer) {
      // With arguments: CAF 0.17 dereferences a null pointer when it spawns a function
      // actor without any (UBSan reports it).
      system.spawn(ask_cluster_view, client, std::move(answer));
    };
    api = std::make_shared<actors::http_api>(*api_cfg, bridge, setup.stores, setup.storage_threads);
    auto served = start_http(o.common, api);
    if (!served) {
      node_log(served.error().message);
      return 1;
    }
    http = std::move(*served);
    std::cout << listening_line(o.common, http->port()) << std::endl;
  }
  to->runner.set(runner);
  to->client.set(client);
  no.address =
      http ? listening_line(o.common, http->port()).substr(std::string("listening on ").size())
           : o.metrics_listen;
  auto started = runtime::cluster::node_link::start(context, no, cb);
  if (!started) {
    node_log("cannot start the node link: " + started.error().message);
    return 1;
  }
  std::shared_ptr<runtime::cluster::node_link> link = std::move(*started);

  to->link.set(link);
  // The link's callbacks hold `to`, which holds the link: break the cycle on return.
  struct release_targets {
    std::shared_ptr<targets> to;
    ~release_targets() {
      to->link.set(nullptr);
      to->runner.set(caf::actor{});
      to->client.set(caf::actor{});
    }
  } release{to};

  std::set<std::string> reported_down;
  int ticks = 0;
  const auto tick = [&] {
    if (*refused)
      return false;
    for (const auto& [role, st] : health.snapshot())
      if (const auto down = protocol::role_named(role);
          down && st.state == "down" && setup.has(role) && *down != protocol::role::bridge &&
          reported_down.insert(role).second)
        link->role_down(*down);
    if (client)
      health.set("coordinator", link->admitted() ? "ok" : "down",
                 link->admitted() ? "" : "not connected to " + o.join);
    const int tick_number = ticks++;
    // A predictor or bridge asks for the newest stored exploit model every 2 s.
    if (exploit && tick_number % 10 == 0 && link->admitted())
      link->request(
          protocol::message_type::request_model,
          actors::wire::encode_model_request({exploit->version()}),
          [follower](actors::wire_answer answer) { adopt_model(follower->get(), answer); });
    if (client && tick_number % 5 == 0) { // the bridge's picture of the cluster, every second
      // A fresh scoped actor each time: CAF 0.17 still delivers a request's timeout
      // after its reply, and a long-lived blocking actor would keep every one of them.
      caf::scoped_actor asker{system};
      asker->request(client, std::chrono::milliseconds(900), actors::cluster_atom::value)
          .receive(
              [&setup, &health](const actors::job_outcome& out) {
                if (out.failure.empty())
                  update_roles_from_view(out.body, setup.roles, health);
              },
              [](const caf::error&) {});
    }
    return true;
  };
  const int signal = wait_for_stop(setup.stop_signals, tick, [&] {
    if (http)
      reload_bridge(o.common, *api, *http);
  });
  if (*refused) {
    node_log("refused by the coordinator; stopping");
    link->stop();
    return 1;
  }
  node_log(std::string(signal == SIGINT ? "SIGINT" : "SIGTERM") +
           ": draining (finishing in-flight tasks, then BYE)");
  if (http)
    http->stop(std::chrono::milliseconds(o.common.request_deadline_ms + 1000));
  link->drain();
  const auto until =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(o.common.request_deadline_ms);
  while (*in_flight > 0 && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  link->stop();
  node_log("stopped after draining");
  return 0;
}

} // namespace qs::nodes
