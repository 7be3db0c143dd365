// Scan jobs (POST /v1/scans): the actor that takes a job, checks it, stores it,
// splits it into chunks for the scanners, sends each scanned target through the
// analysis pipeline as a scan result of its asset, and stores every target's
// result with its analysis until the job is done.
//
// - (scan_atom, scan_submission) answers scan_submitted at once (or calls the
//   scan_reply given as a third element): 202 with the
//   job's id, or 400/422 (the body, each bad field's path), 403 (each target
//   outside the policy, with why), 429 (an endpoint scanned too often, with
//   Retry-After), 503 (storage). Nothing is scanned for a job that was refused.
// - Chunks go to `scanners` as (scan_atom, scan_chunk): the local scanner in
//   `qscan serve`, the remote roles on a coordinator (a dead scanner's chunk is
//   re-dispatched there). At most `max_chunks_in_flight` at once, across jobs in
//   turn.
// - Each chunk's scanned targets go to `analyzer` (the bridge actor: the
//   coordinator with its degraded fallback) as one enhance job with the request id
//   "<job>-<chunk>", so a chunk scanned again after a restart is stored in the
//   asset history once; then the chunk's results are stored in one transaction.
// - On start, unfinished jobs are resumed: chunks without stored results are
//   scanned again (chunks are stored whole, so none is half done); a job whose
//   stored request cannot be read is finished as failed with the reason.
//
// Spawn it detached: it resolves host names and calls storage, which block.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include <caf/all.hpp>

#include "actors/scanner/scan_messages.hpp"
#include "actors/scanner/scan_policy.hpp"
#include "actors/scanner/scan_request.hpp"
#include "actors/scanner/target_metrics.hpp"
#include "protocol/json_input.hpp"
#include "runtime/auth/rate_limiter.hpp"
#include "runtime/metrics/registry.hpp"
#include "runtime/storage/stores.hpp"

namespace qs::actors {

struct scan_jobs_config {
  /// Called on this actor's own thread (it is detached), where blocking is allowed.
  std::shared_ptr<runtime::storage::scan_job_store> db;
  scanner::scan_policy policy;
  caf::actor scanners; ///< (scan_atom, scan_chunk) -> scan_chunk_outcome
  caf::actor analyzer; ///< (analyze_atom, job_ptr, reply_fn): the bridge actor
  std::size_t chunk_size = 16;
  std::size_t max_targets = 4096;
  double scans_per_endpoint_per_minute = 12; ///< 0: no limit
  std::size_t max_chunks_in_flight = 32;
  std::size_t target_metrics = 1000; ///< targets with gauges of their own (target_metrics.hpp)
  protocol::json_limits json;
  std::shared_ptr<runtime::metrics::registry> metrics; ///< the node's metrics; not null
};

struct scan_jobs_state {
  struct job_run {
    scanner::scan_request request; ///< network targets carry their checked address
    std::size_t chunk_size = 16;
    std::vector<std::size_t> queued; ///< chunk numbers not sent yet, last first
    std::size_t in_flight = 0;
  };
  /// A scanned chunk on its way through analysis and storage.
  struct chunk_run {
    std::string job;
    std::size_t chunk = 0;
    std::vector<std::vector<scanner::target_result>> results; ///< per target of the chunk
    std::vector<runtime::storage::scan_result_row> rows;      ///< once analysed
    int store_attempts = 0;
  };
  std::map<std::string, job_run> jobs;
  std::map<std::uint64_t, chunk_run> chunks;
  std::uint64_t next_chunk = 0;
  std::string turn; ///< the job that sent the last chunk
  std::size_t in_flight = 0;
  runtime::auth::rate_limiter endpoints;
  std::function<void()> pump;                       ///< sends queued chunks to the scanners
  bool schedules_unreadable = false;                ///< the last look at the schedules failed
  std::unique_ptr<scanner::target_metrics> targets; ///< gauges of each target's latest scan
  static inline const char* name = "scan-jobs";
};

caf::behavior scan_jobs(caf::stateful_actor<scan_jobs_state>* self, scan_jobs_config cfg);

} // namespace qs::actors
