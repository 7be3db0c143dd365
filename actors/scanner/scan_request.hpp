// The body of POST /v1/scans, read and checked:
//   {"targets": ["tls://127.0.0.1:8443", "ssh://[::1]:22", ...],
//    "options": {"timeout_ms": 5000, "probes_per_endpoint": 8}}
// Every problem is reported with its path ("targets[2]", "options.timeout_ms");
// unknown members are kept in the stored request and otherwise ignored. Pure.
#pragma once

#include <chrono>
#include <variant>
#include <vector>

#include <boost/json/value.hpp>

#include "actors/scanner/target.hpp"
#include "protocol/problem.hpp"

namespace qs::scanner {

struct scan_request {
  std::vector<target> targets;
  std::chrono::milliseconds timeout{5000}; ///< per connection
  std::size_t probes_per_endpoint = 8;     ///< connections to one endpoint at once
};

std::variant<scan_request, protocol::problems> read_scan_request(const boost::json::value& body,
                                                                 std::size_t max_targets);

} // namespace qs::scanner
