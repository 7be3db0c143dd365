// The messages of the scanner role inside a node: a chunk of a scan job's
// targets (already admitted: each network target carries the address it was
// resolved to and checked at, see scan_policy.hpp) and what scanning it found,
// one list of results per target (a folder target has one per key file); and a
// POST /v1/scans or /v1/schedules on its way to the scan jobs, with its answer.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/atom.hpp>

#include "actors/scanner/report.hpp"
#include "actors/scanner/target.hpp"

namespace qs::actors {

using scan_atom = caf::atom_constant<caf::atom("scan")>;
using scan_done_atom = caf::atom_constant<caf::atom("scandone")>;

struct scan_chunk {
  std::vector<scanner::target> targets;
  std::chrono::milliseconds timeout{5000}; ///< per connection
  std::size_t probes_per_endpoint = 8;
};

struct scan_chunk_outcome {
  std::vector<std::vector<scanner::target_result>> results; ///< one list per target
  std::string error; ///< the chunk was not scanned at all (the role is down, ...)
};

struct scan_submission {
  std::string body;       ///< the request body, JSON
  std::string owner;      ///< the API key id ("" without keys)
  std::string request_id; ///< the HTTP request's, for the log
  std::string kind;       ///< "": a scan job (POST /v1/scans); "schedule": POST /v1/schedules
};

struct scan_submitted {
  unsigned status = 202;
  std::string body;
  int retry_after = 0; ///< seconds, with 429
};

/// Answers a submission from any thread (the HTTP side's way to ask).
using scan_reply = std::shared_ptr<std::function<void(scan_submitted)>>;

} // namespace qs::actors

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(qs::actors::scan_chunk)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(qs::actors::scan_chunk_outcome)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(qs::actors::scan_submission)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(qs::actors::scan_submitted)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(qs::actors::scan_reply)
