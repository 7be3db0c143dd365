// What the parts of one node report to: its health board (GET /v1/health, /status)
// and its metrics registry (GET /metrics). Made once per node, in run_serve and
// run_node, and handed to every part that reports (pools, HTTP API, bridge,
// scanners, spool, the coordinator link's gauges); a second node in the same
// process has its own, so two nodes never see each other's health or counters.
// Both objects are thread-safe; the pointers are set once and never null.
#pragma once

#include <memory>

#include "actors/supervision/role_health.hpp"
#include "runtime/metrics/registry.hpp"

namespace qs::nodes {

struct node_telemetry {
  std::shared_ptr<actors::role_health> health = std::make_shared<actors::role_health>();
  std::shared_ptr<runtime::metrics::registry> metrics =
      std::make_shared<runtime::metrics::registry>();
};

} // namespace qs::nodes
