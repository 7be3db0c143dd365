// On a bridge node, the stand-in for the coordinator actor: the bridge actor asks it
// `(analyze_atom, job_ptr)` exactly as it asks the local coordinator in `qscan serve`.
// It sends each question as a REQUEST_* over the node link (`request`), keeps what it
// asked in a table by an id of its own, and answers when the link hands back the
// REPLY's value or error as (reply_atom, id, answer): the kind it asked picks the codec
// of the answer (actors/cluster/*_codec.hpp). It also takes (store_atom, batch_ptr) for
// the spool's replays, (cluster_atom) for the cluster view of GET /v1/cluster, and
// (scan_atom, scan_submission, scan_reply) for POST /v1/scans, which it answers itself
// with a 503 when the coordinator has not answered within `scan_wait`.
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
  /// Sends a request of type `kind` to the coordinator; `answer` gets its REPLY's value
  /// or error, once, on the link's thread.
  std::function<void(protocol::message_type kind, std::string body,
                     std::function<void(wire_answer)> answer)>
      request;
  std::chrono::milliseconds forget_after{30000};
  std::chrono::milliseconds scan_wait{10000};
};

struct coordinator_client_state {
  struct pending {
    protocol::message_type kind = protocol::message_type::request_job; ///< what was asked
    caf::typed_response_promise<job_outcome> answer;   ///< request_job and request_cluster
    caf::typed_response_promise<store_outcome> stored; ///< request_store
    scan_reply scan;                                   ///< request_scan
    std::chrono::steady_clock::time_point sent_at;
  };
  std::uint64_t next_id = 0;
  std::map<std::uint64_t, pending> waiting;
  static inline const char* name = "coordinator-client";
};

caf::behavior coordinator_client(caf::stateful_actor<coordinator_client_state>* self,
                                 coordinator_client_config cfg);

} // namespace qs::actors
