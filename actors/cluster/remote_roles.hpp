// On a coordinator node, the stand-in for the predictor pool, the anomaly shards and
// persistence: it takes the same messages the local actors take in `qscan serve`
// ((predict_atom, slice), (detect_atom, slice), (store_atom, batch_ptr)), turns each
// into a cluster task (actors/cluster/wire_codec.hpp) for a node of that role, and
// answers when the task's result comes back as (task_done_atom, id, ok, body). So the
// coordinator actor is the same in both modes.
//
// Anomaly tasks carry the shard of their assets (`shard_of(asset_id, shards)`) as
// their key, so each virtual shard lives on one node at a time (the ring in the
// dispatcher) and its state follows it.
//
// A task that fails on every node it tries, or outlives its deadline, comes back with
// ok = false and the reason, which the coordinator reports as that role's failure.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include <caf/all.hpp>

#include "actors/cluster/cluster_messages.hpp"
#include "actors/messages.hpp"

namespace qs::actors {

/// Hands a task to the cluster: id, role, body, deadline, shard key.
using submit_fn = std::function<void(std::string, std::string, std::string,
                                     std::chrono::steady_clock::time_point, std::string)>;

struct remote_roles_config {
  submit_fn submit;
  std::chrono::milliseconds task_deadline{2000}; ///< from submission until given up
  std::size_t anomaly_shards = 64;               ///< virtual shards on the anomaly ring
  std::string id_prefix;                         ///< unique to this coordinator run
};

struct remote_roles_state {
  std::uint64_t next_id = 0;
  std::map<std::string,
           std::pair<std::vector<std::size_t>, caf::typed_response_promise<predictions_outcome>>>
      predictions;
  std::map<std::string,
           std::pair<std::vector<std::size_t>, caf::typed_response_promise<anomalies_outcome>>>
      anomalies;
  std::map<std::string, caf::typed_response_promise<store_outcome>> stores;
  static inline const char* name = "remote-roles";
};

caf::behavior remote_roles(caf::stateful_actor<remote_roles_state>* self, remote_roles_config cfg);

} // namespace qs::actors
