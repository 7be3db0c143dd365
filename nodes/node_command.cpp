#include "nodes/node_command.hpp"

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <random>
#include <sstream>

#include "nodes/errc.hpp"
#include "nodes/local_roles.hpp"
#include "nodes/node_parts.hpp"
#include "runtime/config/address.hpp"
#include "runtime/metrics/registry.hpp"

namespace qs::nodes {

namespace {

int fail(const std::string& why, int code = 1) {
  std::cerr << "qscan node: " << why << "\n";
  return code;
}

// The roles of a comma-separated list, or why it is not a valid one.
qs::expected<std::set<std::string>> parse_roles(const std::string& list) {
  std::set<std::string> roles;
  std::stringstream in(list);
  for (std::string role; std::getline(in, role, ',');) {
    role.erase(0, role.find_first_not_of(" \t"));
    role.erase(role.find_last_not_of(" \t") + 1);
    if (role.empty())
      continue;
    if (!protocol::role_named(role))
      return qs::error{errc::bad_option, "--roles: unknown role \"" + role + "\"; the roles are " +
                                             protocol::role_list()};
    roles.insert(role);
  }
  if (roles.empty())
    return qs::error{errc::bad_option,
                     "--roles: give at least one role, e.g. --roles predictor,anomaly"};
  if (roles.count("coordinator") > 0)
    for (auto worker :
         {protocol::role::predictor, protocol::role::anomaly, protocol::role::scanner})
      if (roles.count(std::string(protocol::name_of(worker))) > 0)
        return qs::error{errc::bad_option, "--roles: a coordinator node does not run the " +
                                               std::string(protocol::name_of(worker)) +
                                               " role; start a worker node for it"};
  return roles;
}

const char* usage = R"(usage: qscan node --roles LIST --data-dir DIR --keys DIR [options]

Runs one cluster node. A coordinator binds the cluster port:
  qscan node --roles coordinator --keys K --cluster-listen tcp://127.0.0.1:7700 --allow ALLOW
every other node joins it:
  qscan node --roles predictor,anomaly,persistence --keys K --join tcp://127.0.0.1:7700 \
             --coordinator-key COORD/node.pub [--database postgresql://...]
  qscan node --roles bridge --keys K --join ... --coordinator-key ... --listen 127.0.0.1:8000

Only persistence nodes open a database (SQLite in --data-dir by default, or the
PostgreSQL that several persistence nodes share); every other node reaches cluster
state through them.

Options:
)";

} // namespace

void node_log(const std::string& line) {
  std::cerr << "qscan node: " + line + "\n" << std::flush;
}

qs::expected<std::unique_ptr<runtime::http::server>>
start_metrics(const node_options& o, std::shared_ptr<runtime::metrics::registry> metrics) {
  if (o.metrics_listen.empty())
    return std::unique_ptr<runtime::http::server>();
  auto address = runtime::config::parse_address(o.metrics_listen);
  if (!address)
    return {runtime::http::errc::bad_address,
            "--metrics-listen: expected HOST:PORT, got \"" + o.metrics_listen + "\""};
  runtime::http::server_options cfg;
  cfg.host = address->host;
  cfg.port = address->port;
  cfg.threads = 1;
  cfg.body_limit = 1024;
  return runtime::http::start_server(
      cfg, [metrics](runtime::http::request req, runtime::http::respond_fn respond) {
        runtime::http::response r;
        if (req.path() != "/metrics") {
          r.status = 404;
          r.body = runtime::http::error_body("not_found", "this port serves only GET /metrics");
        } else {
          r.content_type = "text/plain; version=0.0.4; charset=utf-8";
          r.body = metrics->render();
        }
        respond(std::move(r));
      });
}

std::string run_id() {
  std::random_device random;
  std::ostringstream out;
  out << std::hex << random() << random();
  return out.str();
}

int run_node(const std::vector<std::string>& args) {
  node_setup setup;
  // First, so every thread started later (storage, links, actors) inherits the mask
  // and SIGTERM always reaches the main thread's wait.
  setup.stop_signals = block_stop_signals();
  node_options& o = setup.o;
  runtime::config::option_set options;
  register_options(options, o);
  for (const auto& a : args)
    if (a == "--help" || a == "-h") {
      std::cout << usage << options.help();
      return 0;
    }
  if (auto why = options.load(args); !why.empty())
    return fail(why, 2);
  auto roles = parse_roles(o.roles);
  if (!roles)
    return fail(roles.error().message, 2);
  setup.roles = std::move(*roles);
  const bool coordinator = setup.has("coordinator");
  if (coordinator && o.cluster_listen.empty())
    return fail("a coordinator needs --cluster-listen tcp://HOST:PORT", 2);
  if (!coordinator && (o.join.empty() || o.coordinator_key.empty()))
    return fail("a node needs --join tcp://HOST:PORT and --coordinator-key FILE", 2);
  if (o.keys.empty())
    return fail("--keys DIR: the node's key pair (make one with `qscan keys gen DIR`)", 2);
  if (setup.has("bridge"))
    if (auto ok = check_listen(o.common); !ok)
      return fail(ok.error().message, 2);
  if (o.common.sync != "full" && o.common.sync != "normal")
    return fail("--sync: expected full or normal, got \"" + o.common.sync + "\"", 2);

  auto keys = runtime::cluster::load_keys(o.keys);
  if (!keys)
    return fail(keys.error().message + " (make a pair with `qscan keys gen " + o.keys + "`)");
  setup.keys = *keys;

  std::error_code ec;
  std::filesystem::create_directories(o.common.data_dir, ec);
  if (ec)
    return fail("cannot create data folder " + o.common.data_dir + ": " + ec.message());
  if (o.allow.empty())
    o.allow = (std::filesystem::path(o.common.data_dir) / "allow").string();
  // Only persistence nodes open the database; every other node reads and writes
  // cluster state through them (its stores are set once its link exists).
  if (setup.has("persistence")) {
    if (o.database.empty())
      o.database = "sqlite:" + (std::filesystem::path(o.common.data_dir) / "qscan.db").string();
    auto db = runtime::storage::database::open({o.database, o.common.sync == "full"});
    if (!db)
      return fail(db.error().message);
    setup.db = std::move(*db);
    setup.stores = setup.db->stores();
    setup.committer = std::make_shared<runtime::storage::group_committer>(setup.db->writer());
  } else if (!o.database.empty()) {
    return fail("--database: only a node with the persistence role opens the database; this "
                "node (" +
                    o.roles +
                    ") reads and writes cluster state through the cluster's "
                    "persistence nodes, so it needs a join address and a key, never database "
                    "credentials",
                2);
  }
  if (!o.cluster_id.empty() && !coordinator)
    return fail("--cluster-id: only a coordinator is given its cluster's id; other nodes "
                "learn it when they join",
                2);
  setup.storage_threads = storage_threads(o.common);

  caf::actor_system_config caf_cfg;
  configure_actor_system(caf_cfg, o.common);
  caf::actor_system system{caf_cfg};
  setup.system = &system;
  auto started_metrics = start_metrics(o, setup.telemetry.metrics);
  if (!started_metrics)
    return fail(started_metrics.error().message);
  std::unique_ptr<runtime::http::server> metrics = std::move(*started_metrics);
  if (metrics)
    node_log("metrics on http://" + o.metrics_listen.substr(0, o.metrics_listen.rfind(':')) + ":" +
             std::to_string(metrics->port()) + "/metrics");
  const int code = coordinator ? run_coordinator_node(setup) : run_member_node(setup);
  if (metrics)
    metrics->stop(std::chrono::milliseconds(100));
  system.await_all_actors_done();
  if (setup.committer)
    setup.committer->flush();
  return code;
}

} // namespace qs::nodes
