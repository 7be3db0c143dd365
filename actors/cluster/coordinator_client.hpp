// On a bridge node, the stand-in for the coordinator actor: the bridge actor asks it
// `(analyze_atom, job_ptr)` exactly as it asks the local coordinator in `qscan serve`.
// It sends each question as a REQUEST over the node link (kinds in
// cluster_messages.hpp) and answers when the REPLY comes back as (reply_atom,
// correlation id, body). It also takes (store_atom, batch_ptr) for the spool's replays
// and (cluster_atom) for the cluster view of GET /v1/cluster, and (scan_atom,
// scan_submission, scan_reply) for POST /v1/scans, which it answers itself with a
// 503 when the coordinator has not answered within `scan_wait`.
//
// It never answers on its own when the coordinator is silent: the asker bounds the
// wait (the bridge's request deadline), and questions unanswered for `forget_after`
// are dropped.
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

struct coordinator_client_config {
  /// Sends a REQUEST (correlation id, body) to the coordinator.
  std::function<void(std::string, std::string)> request;
  std::chrono::milliseconds forget_after{30000};
  std::chrono::milliseconds scan_wait{10000};
  std::string id_prefix; ///< unique to this bridge run
};

struct coordinator_client_state {
  struct pending {
    std::string kind;
    caf::typed_response_promise<job_outcome> answer; ///< "job" and "cluster"
    caf::typed_response_promise<store_outcome> stored;
    scan_reply scan; ///< "scan"
    std::chrono::steady_clock::time_point sent_at;
  };
  std::uint64_t next_id = 0;
  std::map<std::string, pending> waiting;
  static inline const char* name = "coordinator-client";
};

caf::behavior coordinator_client(caf::stateful_actor<coordinator_client_state>* self,
                                 coordinator_client_config cfg);

} // namespace qs::actors
