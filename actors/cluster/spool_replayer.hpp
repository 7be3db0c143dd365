// On a bridge node, the actor that empties the durable spool: every `interval` it
// takes the oldest spooled batches and sends each to `target` as (store_atom,
// batch_ptr) (the coordinator client); an entry is removed only once the cluster
// says it is stored, so a replay that fails is tried again on a later round. Batches
// carry their request id, so a replay that reaches the database twice (an answer lost
// on the way back) is still stored once.
#pragma once

#include <chrono>
#include <memory>
#include <set>

#include <caf/all.hpp>

#include "actors/cluster/cluster_messages.hpp"
#include "actors/messages.hpp"
#include "runtime/metrics/registry.hpp"
#include "runtime/storage/spool.hpp"

namespace qs::actors {

/// How the spool writer says an append is durable ("") or why not.
using spool_done = std::shared_ptr<std::function<void(expected<void>)>>;

struct spool_replayer_config {
  std::shared_ptr<runtime::storage::spool> spool;
  caf::actor target;
  std::chrono::milliseconds interval{500};
  std::chrono::milliseconds timeout{5000};             ///< per replay
  std::size_t batch = 32;                              ///< replays in flight at most
  std::shared_ptr<runtime::metrics::registry> metrics; ///< the node's metrics; not null
};

struct spool_replayer_state {
  std::set<std::int64_t> in_flight;
  static inline const char* name = "spool-replayer";
};

caf::behavior spool_replayer(caf::stateful_actor<spool_replayer_state>* self,
                             spool_replayer_config cfg);

/// Appends to the spool: (store_atom, encoded batch, done) calls `done` once the
/// entry is durable, or with why not (`spool_done`). Spawn it (and the replayer)
/// detached: every append is an fsync, which must not hold a scheduler thread.
/// `metrics` (the node's, not null) counts the appends.
caf::behavior spool_writer(caf::event_based_actor* self,
                           std::shared_ptr<runtime::storage::spool> spool,
                           std::shared_ptr<runtime::metrics::registry> metrics);

} // namespace qs::actors

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(qs::actors::spool_done)
