// The options of `qscan node`: one cluster node running the roles it is given. It
// takes every option of `qscan serve` (the roles' settings, the bridge's HTTP
// settings) plus the cluster's: keys, the coordinator's address and key, the
// allow-list, heartbeats, the cluster's id (a coordinator's), and the database URL
// (persistence nodes only).
#pragma once

#include <string>
#include <vector>

#include "nodes/serve_options.hpp"
#include "protocol/envelope.hpp"
#include "protocol/roles.hpp"
#include "runtime/config/options.hpp"

namespace qs::nodes {

struct node_options {
  serve_options common;
  std::string roles;           ///< comma-separated
  std::string keys;            ///< folder with node.key and node.pub
  std::string id;              ///< empty: derived from the public key
  std::string cluster_listen;  ///< coordinator: tcp://HOST:PORT to bind
  std::string join;            ///< others: the coordinator's tcp://HOST:PORT
  std::string coordinator_key; ///< others: file with the coordinator's public key
  std::string allow;           ///< coordinator: allow-list folder (default DATA_DIR/allow)
  std::string metrics_listen;  ///< HOST:PORT for GET /metrics; empty: none
  std::string database;        ///< persistence only: sqlite:PATH or postgresql://...; default
                               ///< sqlite:DATA_DIR/qscan.db
  std::string cluster_id;      ///< coordinator: the cluster's id when its folder has none
  int heartbeat_ms = 1000;
  int missed_heartbeats = 3;
  int forget_after_s = 600;
  int capacity = 256;      ///< tasks of each role a worker takes at once
  int virtual_shards = 16; ///< anomaly shards on the ring (the coordinator's setting)
  // TESTS ONLY
  int hello_version = protocol::wire_version; ///< the protocol version the HELLO claims
  double drop_answers = 0;                    ///< chance a task's answer is lost on the way
  double duplicate_answers = 0;
  int delay_answers_ms = 0; ///< each answer waits up to this long
};

void register_options(runtime::config::option_set& set, node_options& o);

} // namespace qs::nodes
