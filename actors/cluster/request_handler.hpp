// On a coordinator node, the actor that answers the bridges' REQUESTs: (request_atom,
// body, reply) from the coordinator link's socket thread. A "job" goes to the
// coordinator actor and its outcome is sent back encoded; a "store" (a spooled
// degraded answer replayed by a bridge) goes to persistence, so it is stored once by
// its request id; "cluster" answers with `cluster_view()`, the JSON of GET /v1/cluster;
// "scan" (a POST /v1/scans) goes to the scan jobs.
#pragma once

#include <functional>
#include <string>

#include <caf/all.hpp>

#include "actors/cluster/cluster_messages.hpp"
#include "actors/messages.hpp"

namespace qs::actors {

struct request_handler_config {
  caf::actor coordinator;
  caf::actor persistence;
  std::function<std::string()> cluster_view;
  caf::actor scan_jobs;
};

caf::behavior request_handler(caf::event_based_actor* self, request_handler_config cfg);

} // namespace qs::actors
