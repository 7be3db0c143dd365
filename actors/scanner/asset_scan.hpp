// A scanned target as a scan result of its asset (asset id = the target), in
// the shape Scorpius posts, so it goes through the same threat prediction,
// anomaly detection and storage as Scorpius's results and shows in
// GET /v1/assets/{id}. Every algorithm finding is an entry, the post-quantum
// ones too (as "quantum_safe" at info severity), so that a post-quantum group
// gone since the last scan is seen as drift; the quantum risk score is the
// scanner's own. Pure.
#pragma once

#include <string>

#include "actors/scanner/report.hpp"
#include "protocol/scan_result.hpp"

namespace qs::scanner {

/// `timestamp`: ISO 8601 (when it was scanned); `job_id`: kept in its metadata.
protocol::scan_result asset_scan(const target_result& result, const std::string& timestamp,
                                 const std::string& job_id);

} // namespace qs::scanner
