// The scanner role: takes (scan_atom, scan_chunk) and answers scan_chunk_outcome
// once every target of the chunk is scanned. Scans run on threads of their own
// (each chunk on one event loop, net/scan_runner.hpp), never on CAF's scheduler
// threads: at most `threads` chunks at once, the others queued. Before a target
// is connected to, this node checks it again against its own policy
// (scan_policy.hpp: check_admitted), so a scanner never connects outside its
// --scan-allow whatever the coordinator asks.
//
// Spawn it detached: when it exits, it waits for the chunks in progress.
#pragma once

#include <cstdint>
#include <map>
#include <memory>

#include <caf/all.hpp>

#include "actors/scanner/scan_messages.hpp"
#include "actors/scanner/scan_policy.hpp"
#include "runtime/metrics/registry.hpp"

namespace qs::actors {

struct scan_worker_config {
  std::size_t threads = 4; ///< chunks scanned at once
  scanner::scan_policy policy;
  std::shared_ptr<runtime::metrics::registry> metrics; ///< the node's metrics; not null
};

class scan_thread_pool;

struct scan_worker_state {
  std::shared_ptr<scan_thread_pool> pool;
  std::uint64_t next = 0;
  std::map<std::uint64_t, caf::typed_response_promise<scan_chunk_outcome>> pending;
  static inline const char* name = "scanner";
};

caf::behavior scan_worker(caf::stateful_actor<scan_worker_state>* self, scan_worker_config cfg);

} // namespace qs::actors
