// On a worker node, the actor that runs the cluster's tasks: (run_task_atom, role,
// body, reply) from the node link's socket thread. It decodes the task
// (actors/cluster/wire_codec.hpp), asks the local actor of that role (the same
// supervised predictor pool, anomaly shards and persistence as `qscan serve`) and
// answers through `reply`: ok with the encoded answer, or not ok with the reason, which
// sends the task back to the coordinator to try elsewhere (a message that crashed a
// worker twice here is one of those).
#pragma once

#include <caf/all.hpp>

#include "actors/cluster/cluster_messages.hpp"
#include "actors/messages.hpp"

namespace qs::actors {

struct task_runner_config {
  caf::actor predictors;        ///< may be invalid: the node does not run the role
  caf::actor anomaly_shards;    ///< idem
  std::size_t local_shards = 1; ///< how many shards `anomaly_shards` routes assets to
  caf::actor persistence;       ///< idem
};

caf::behavior task_runner(caf::event_based_actor* self, task_runner_config cfg);

} // namespace qs::actors
