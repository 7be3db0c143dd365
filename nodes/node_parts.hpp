// What `qscan node` has set up before it runs its roles (private to nodes/node_*.cpp):
// the parsed options, the key pair, the database when a role needs one, the node's
// health board and metrics, and the helpers both kinds of node use. A coordinator node runs
// `run_coordinator_node`; every other node joins one with `run_member_node`.
#pragma once

#include <csignal>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include <caf/all.hpp>

#include "nodes/node_options.hpp"
#include "nodes/node_telemetry.hpp"
#include "runtime/cluster/curve_keys.hpp"
#include "runtime/http/server.hpp"
#include "runtime/storage/database.hpp"
#include "runtime/storage/executor.hpp"
#include "runtime/storage/group_committer.hpp"

namespace qs::nodes {

struct node_setup {
  node_options o;
  std::set<std::string> roles;
  runtime::cluster::key_pair keys;
  std::shared_ptr<runtime::storage::database> db; ///< null when no role needs one
  runtime::storage::stores stores;
  std::shared_ptr<runtime::storage::executor> storage_threads;
  std::shared_ptr<runtime::storage::group_committer> committer;
  node_telemetry telemetry; ///< this node's health board and metrics
  sigset_t stop_signals;
  caf::actor_system* system = nullptr;

  bool has(const std::string& role) const { return roles.count(role) > 0; }
};

/// A value the link's callbacks read on its socket thread, set once it exists (and
/// reset on the way out). @threadsafe
template<class T> class slot {
public:
  void set(T value) {
    std::lock_guard<std::mutex> lock(mutex_);
    value_ = std::move(value);
  }
  T get() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return value_;
  }

private:
  mutable std::mutex mutex_;
  T value_; // GUARDED_BY(mutex_)
};

/// Tells every actor in `actors` to exit when the scope ends, however it ends, so
/// that `await_all_actors_done` returns.
struct exit_actors_on_return {
  std::vector<caf::actor>& actors;
  ~exit_actors_on_return() {
    for (const auto& a : actors)
      caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
  }
};

/// Writes "qscan node: LINE" to stderr.
void node_log(const std::string& line);

/// Serves GET /metrics of `metrics` on `o.metrics_listen`; a null server when that
/// is not set.
qs::expected<std::unique_ptr<runtime::http::server>>
start_metrics(const node_options& o, std::shared_ptr<runtime::metrics::registry> metrics);

/// A random hex string, to keep task and request ids of this run apart from a
/// previous run's.
std::string run_id();

int run_coordinator_node(node_setup& setup);
int run_member_node(node_setup& setup);

} // namespace qs::nodes
