// On a coordinator node, the stand-in for the worker roles: it takes the same
// messages the local actors take in `qscan serve` ((predict_atom, slice),
// (detect_atom, slice), (store_atom, batch_ptr), (scan_atom, scan_chunk)), turns
// each into a cluster task (actors/cluster/wire_codec.hpp, scan_task_codec.hpp) for
// a node of that role, and answers when the task's result comes back as
// (task_done_atom, id, answer): the RESULT's payload, or the error the task failed with
// (a persistence node's storage error keeps its storage::errc). So the coordinator and the scan
// jobs are the same in both modes. Every task waits in one table, by id, with the function that
// turns its result into the asker's answer: adding a role is one message handler here.
//
// Anomaly tasks carry the shard of their assets (`shard_of(asset_id, shards)`) as
// their key, so each virtual shard lives on one node at a time (the ring in the
// dispatcher) and its state follows it.
//
// A task that fails on every node it tries, or outlives its deadline, comes back with
// its error, which the asker reports as that role's failure.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include <caf/all.hpp>

#include "actors/cluster/cluster_messages.hpp"
#include "actors/messages.hpp"
#include "actors/scanner/scan_messages.hpp"

namespace qs::actors {

/// Hands a task to the cluster: id, role, payload (one CBOR item), deadline, shard key.
using submit_fn = std::function<void(std::string, protocol::role, std::string,
                                     std::chrono::steady_clock::time_point, std::string)>;

struct remote_roles_config {
  submit_fn submit;
  std::chrono::milliseconds task_deadline{2000}; ///< from submission until given up
  std::chrono::milliseconds scan_deadline = std::chrono::minutes(30); ///< for scan tasks
  std::size_t anomaly_shards = 64; ///< virtual shards on the anomaly ring
  std::string id_prefix;           ///< unique to this coordinator run
};

struct remote_roles_state {
  std::uint64_t next_id = 0;
  /// By task id: delivers the asker's answer from the task's.
  std::map<std::string, std::function<void(wire_answer)>> pending;
  static inline const char* name = "remote-roles";
};

caf::behavior remote_roles(caf::stateful_actor<remote_roles_state>* self, remote_roles_config cfg);

} // namespace qs::actors
