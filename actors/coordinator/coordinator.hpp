// The coordinator: answers `(analyze_atom, job_ptr)` with a job_outcome. It
// splits the job into slices for the predictor pool and the anomaly shards,
// gathers their answers, builds the response, hands everything to persistence
// and replies only once it is durable. A role that fails yields an outcome
// whose `failure` says which and why, so the bridge can fall back.
//
// Timeouts: the coordinator's own requests carry no timer. The bridge's
// request to it carries the deadline; each pool bounds every task with the
// task timeout and always answers (with an error if need be); persistence
// always answers when the group committer reports. A timer per internal
// request cost a fifth of a CPU at 1,700 requests/s in CAF 0.17, whose clock
// thread delivers every expired timeout even after the answer came.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include <caf/all.hpp>

#include "actors/analytics/risk.hpp"
#include "actors/messages.hpp"

namespace qs::actors {

struct coordinator_config {
  caf::actor predictors;
  caf::actor anomaly_shards;
  caf::actor persistence;
  std::size_t anomaly_shard_count = 1;
  /// Which anomaly task an asset's results go in: assets of one group travel together
  /// (in request order). None: its shard, `shard_of(asset_id, anomaly_shard_count)`.
  /// A cluster groups by the node that owns the asset's shard, one task per node.
  std::function<std::size_t(const std::string& asset_id)> anomaly_group;
  std::size_t slice_size = 16; ///< scan results per predictor task
  analytics::risk_weights weights;
};

struct coordinator_state {
  static inline const char* name = "coordinator";
};

caf::behavior coordinator(caf::stateful_actor<coordinator_state>* self, coordinator_config cfg);

} // namespace qs::actors
