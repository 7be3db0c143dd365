// The JSON of GET /v1/cluster: every node the coordinator knows (itself first) and
// the dead letters, as operators read them:
//
//   {"cluster_id": "qc-...",
//    "nodes": [{"id", "public_key", "address", "roles", "roles_down", "state",
//               "heartbeat_age_ms", "tasks_done", "tasks_in_flight", "restarts"}...],
//    "dead_letters": [{"task_id", "role", "reason", "attempts", "failed_on"}...]}
//
// Pure: no clock of its own (`now` is given), any thread.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "runtime/cluster/dispatcher.hpp"
#include "runtime/cluster/membership.hpp"

namespace qs::runtime::cluster {

std::string cluster_view_json(const std::string& cluster_id, const std::vector<node_info>& nodes,
                              const std::vector<dead_letter>& dead_letters,
                              std::chrono::steady_clock::time_point now);

} // namespace qs::runtime::cluster
