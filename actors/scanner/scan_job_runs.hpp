// The pieces of a scan job's run that the scan jobs actor (scan_jobs.hpp) puts
// together: a stored job read back to be resumed, its chunks, the results of a chunk
// that could not be scanned, and the stored rows of a scanned chunk with the analysis
// of its asset scans. Pure.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include <boost/json/value.hpp>

#include "actors/scanner/scan_jobs.hpp"

namespace qs::actors {

/// A target's results are stored at position target << position_bits | item.
constexpr std::int64_t position_bits = 20;

/// The run of a stored job, or why it cannot be resumed.
std::variant<scan_jobs_state::job_run, std::string> restore(const runtime::storage::scan_job& job,
                                                            std::size_t max_targets);

std::size_t chunk_count(const scan_jobs_state::job_run& run);

/// The results of a chunk that could not be scanned: each target with the reason.
std::vector<std::vector<scanner::target_result>> not_scanned(const std::vector<scanner::target>& ts,
                                                             const std::string& why);

/// The chunk's stored rows: every result with the analysis of its asset scan
/// (`answer`: the enhance answer, or null with `analysis_error` saying why).
std::vector<runtime::storage::scan_result_row> rows_of(const scan_jobs_state::chunk_run& c,
                                                       std::size_t first_target,
                                                       const boost::json::value* answer,
                                                       const std::string& analysis_error);

} // namespace qs::actors
