#include "nodes/node_options.hpp"

namespace qs::nodes {

void register_options(runtime::config::option_set& set, node_options& o) {
  set.add("roles", "comma-separated roles: " + protocol::role_list(), o.roles)
      .add("keys", "folder with this node's CURVE key pair (qscan keys gen DIR)", o.keys)
      .add("id", "node id; default: derived from the public key", o.id)
      .add("cluster-listen", "coordinator: tcp://HOST:PORT to bind; port 0 picks one",
           o.cluster_listen)
      .add("join", "every other node: the coordinator's tcp://HOST:PORT", o.join)
      .add("coordinator-key", "every other node: file with the coordinator's public key",
           o.coordinator_key)
      .add("allow", "coordinator: allow-list folder of .pub files (default DATA_DIR/allow)",
           o.allow)
      .add("metrics-listen", "HOST:PORT serving GET /metrics for Prometheus", o.metrics_listen)
      .add("database",
           "persistence nodes only: sqlite:PATH or postgresql://... (default "
           "sqlite:DATA_DIR/qscan.db); several persistence nodes share one PostgreSQL database",
           o.database)
      .add("cluster-id",
           "coordinator: the cluster's id when its folder was lost (read it from a persistence "
           "node's database with `qscan cluster id --database URL`)",
           o.cluster_id)
      .add("heartbeat-ms", "heartbeat interval", o.heartbeat_ms, 10, 60000)
      .add("missed-heartbeats", "silent intervals before a node (or the coordinator) is dead",
           o.missed_heartbeats, 1, 100)
      .add("forget-after-s", "coordinator: how long a dead node stays listed", o.forget_after_s, 1,
           30 * 24 * 3600)
      .add("capacity", "worker: tasks of each role it takes at once", o.capacity, 1, 100000)
      .add("virtual-shards", "coordinator: anomaly shards on the hash ring", o.virtual_shards, 1,
           65536)
      .add("hello-version", "TESTS ONLY: the protocol version this node's HELLO claims",
           o.hello_version, 0, 65535)
      .add("drop-answers", "TESTS ONLY: chance a task's answer is lost", o.drop_answers, 0, 1)
      .add("duplicate-answers", "TESTS ONLY: chance a task's answer is sent twice",
           o.duplicate_answers, 0, 1)
      .add("delay-answers-ms", "TESTS ONLY: each answer waits up to this long", o.delay_answers_ms,
           0, 60000);
  register_options(set, o.common);
}

} // namespace qs::nodes
