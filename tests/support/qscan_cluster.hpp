// A real cluster of `qscan node` processes on loopback for end-to-end tests: a
// coordinator (port 0, then restartable on the same port and data folder), worker
// nodes and a bridge, each with its own CURVE key pair made by `qscan keys gen` and
// allowed with `qscan cluster allow`, and each with a data folder of its own, as on
// separate machines. Only persistence nodes hold the database: by default the first
// worker, on SQLite in its own folder; with `database` set (PostgreSQL), every
// persistence node is given that URL. Every start waits for the node's ready line
// (with a deadline).
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

namespace qs::test {

struct cluster_options {
  int workers = 2;
  std::string worker_roles = "predictor,anomaly"; ///< every worker's
  int persistence_workers = 1;           ///< the first this many workers also run persistence
  int heartbeat_ms = 1000;               ///< the default, so failure detection is as shipped
  std::vector<std::string> worker_flags; ///< extra flags for every worker
  std::string database; ///< empty: SQLite in the persistence node's folder; else its URL
  std::string coordinator_roles = "coordinator"; ///< or "coordinator,persistence"
  std::vector<std::string> coordinator_flags;    ///< extra flags for the coordinator
};

/// The default options with `n` workers.
inline cluster_options with_workers(int n) {
  cluster_options options;
  options.workers = n;
  return options;
}

class qscan_cluster {
public:
  explicit qscan_cluster(cluster_options options = {});

  std::uint16_t bridge_port() const { return bridge_port_; }
  const std::string& endpoint() const { return endpoint_; }
  const std::string& dir() const { return dir_.path(); }
  /// A node's data folder.
  std::string data_dir(const std::string& name) const { return dir_.file("data/" + name); }

  child_process& coordinator() { return *coordinator_; }
  child_process& bridge() { return *bridge_; }
  child_process& worker(const std::string& name) { return *workers_.at(name); }

  /// Starts a worker `name` (keys made and allowed unless `allow` is false) and waits
  /// for "joined" unless `wait` is false; with the workers' roles (no persistence)
  /// unless `roles` is set.
  child_process& start_worker(const std::string& name, const std::vector<std::string>& flags = {},
                              bool allow = true, bool wait = true, const std::string& roles = "");

  /// SIGKILLs the coordinator (and waits for it to be gone).
  void kill_coordinator();
  /// Starts it again on the same endpoint and data folder, with `flags` added.
  void restart_coordinator(const std::vector<std::string>& flags = {});

  /// The path of a node's key folder (made on first use).
  std::string keys_of(const std::string& name, bool allow = true);

private:
  void start_coordinator(const std::vector<std::string>& flags = {});
  std::vector<std::string> node_argv(const std::string& name, const std::string& roles);

  cluster_options options_;
  temp_dir dir_;
  std::string endpoint_ = "tcp://127.0.0.1:0";
  std::uint16_t bridge_port_ = 0;
  std::unique_ptr<child_process> coordinator_;
  std::unique_ptr<child_process> bridge_;
  std::map<std::string, std::unique_ptr<child_process>> workers_;
};

/// The node `id` in the bridge's GET /v1/cluster, or an empty object when it is not
/// listed (or the bridge cannot say).
boost::json::object cluster_node(std::uint16_t bridge_port, const std::string& id);

/// `total` of GET /v1/assets/{asset_id} (0 when none is stored).
std::int64_t stored_total(std::uint16_t port, const std::string& asset_id);

struct load_outcome {
  int answered = 0;                ///< 200s
  int degraded = 0;                ///< 200s with "degraded": true
  int failed = 0;                  ///< anything else, or no answer
  std::vector<std::string> assets; ///< the asset of every request answered 200
};

/// Sends `requests` predict requests (one scan result each, asset "<prefix><i>") over
/// `threads` keep-alive connections, as fast as they are answered; `sent` counts the
/// requests answered so far, for the caller to act mid-load.
load_outcome run_load(std::uint16_t port, int requests, int threads, const std::string& prefix,
                      std::atomic<int>* sent = nullptr);

} // namespace qs::test
