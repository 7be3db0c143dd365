// The bridge actor: takes `(analyze_atom, job_ptr, reply_fn)` from the HTTP
// side, asks the coordinator with the request deadline, and calls the reply
// function exactly once. When the coordinator fails or does not answer in
// time, it answers from the local rule-based fallback, marked degraded with
// the reasons, and stores that answer itself before answering (`fallback_store`:
// the group committer in `qscan serve`, the durable spool on a cluster bridge), so
// nothing acknowledged is lost.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include <caf/all.hpp>

#include "actors/analytics/risk.hpp"
#include "actors/messages.hpp"
#include "runtime/expected.hpp"
#include "runtime/metrics/registry.hpp"
#include "runtime/storage/records.hpp"

namespace qs::actors {

/// Stores a batch durably and then calls back with the outcome.
using store_fn = std::function<void(runtime::storage::write_batch,
                                    std::function<void(const expected<void>& stored)>)>;

struct bridge_config {
  caf::actor coordinator;
  std::chrono::milliseconds deadline{2000};
  analytics::risk_weights weights;
  store_fn fallback_store;
  std::shared_ptr<runtime::metrics::registry> metrics; ///< counts degraded answers; not null
};

caf::behavior bridge_actor(caf::event_based_actor* self, bridge_config cfg);

/// Builds and stores the degraded answer; calls `reply` once it is durable.
void answer_degraded(const bridge_config& cfg, const job_ptr& work, const std::string& reason,
                     const reply_fn& reply);

} // namespace qs::actors
