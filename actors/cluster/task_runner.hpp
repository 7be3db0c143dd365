// On a worker node, the actor that runs the cluster's tasks: (run_task_atom, role,
// payload, reply) from the node link's socket thread. It looks the role up in its
// table of handlers, one per role this node runs; a handler decodes the task
// (actors/cluster/wire_codec.hpp, scan_task_codec.hpp), asks the local actor of
// that role (the same supervised predictor pool, anomaly shards, persistence and
// scanner as `qscan serve`) and answers through `reply`: the encoded answer, or the
// error (cluster::errc::task_failed with the actor's reason, a storage error as it
// is, the decoder's wire_errc), which sends the task back to the coordinator to try
// elsewhere (a message that crashed a worker twice here is one of those).
//
// Adding a role: one handler factory below and one entry where the node builds
// its table.
#pragma once

#include <functional>
#include <map>
#include <string>

#include <caf/all.hpp>

#include "actors/cluster/cluster_messages.hpp"
#include "actors/messages.hpp"
#include "protocol/roles.hpp"
#include "runtime/storage/executor.hpp"
#include "runtime/storage/requests.hpp"

namespace qs::actors {

/// Runs one task of a role with the runner actor as `self`.
using task_handler = std::function<void(caf::event_based_actor* self, const std::string& payload,
                                        const wire_reply&)>;

struct task_runner_config {
  std::map<protocol::role, task_handler> handlers; ///< the roles this node runs
};

/// The handlers: each asks the local actor of its role.
task_handler predictor_tasks(caf::actor predictors);
/// `local_shards`: how many shards `shards` routes assets to.
task_handler anomaly_tasks(caf::actor shards, std::size_t local_shards);
/// Writes go to `persistence`; store calls are served by `local` on `threads`.
task_handler persistence_tasks(caf::actor persistence, runtime::storage::stores local,
                               std::shared_ptr<runtime::storage::executor> threads);
task_handler scanner_tasks(caf::actor scanner);

caf::behavior task_runner(caf::event_based_actor* self, task_runner_config cfg);

} // namespace qs::actors
