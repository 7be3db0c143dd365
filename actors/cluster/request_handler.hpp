// On a coordinator node, the actor that answers the bridges' REQUESTs: (request_atom,
// body, reply) from the coordinator link's socket thread. A "job" goes to the
// coordinator actor and its outcome is sent back encoded; a "store" (a spooled
// degraded answer replayed by a bridge) goes to persistence, so it is stored once by
// its request id; "cluster" answers with `cluster_view()`, the JSON of GET /v1/cluster;
// "scan" (a POST /v1/scans) goes to the scan jobs; "model" (from a predictor
// node, with the exploit model version it runs) is answered with the newest
// stored version when it differs: "VERSION\nHEX OF THE MODEL FILE", else "".
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
  /// The newest stored exploit model unless it is `have` (see above); none: no models here.
  std::function<std::string(const std::string& have)> latest_model;
};

caf::behavior request_handler(caf::event_based_actor* self, request_handler_config cfg);

} // namespace qs::actors
