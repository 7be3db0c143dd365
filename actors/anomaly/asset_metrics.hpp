// The metric series of an asset: numbers taken from each of its scan results,
// in a fixed order, for the streaming detectors. Pure; thread-safe.
//
//   finding_count                  findings in the scan
//   severity_score                 sum of severity weights (info 0, low 1, medium 3,
//                                  high 7, critical 10)
//   quantum_risk                   the scan's quantum_risk_score (0..1)
//   quantum_vulnerable_algorithms  findings whose algorithm a quantum computer breaks
//                                  or weakens
//   days_to_certificate_expiry     days from the scan to metadata.certificate_not_after
//                                  (the scanner writes it; absent: no point)
#pragma once

#include <array>
#include <optional>
#include <string_view>

#include "protocol/scan_result.hpp"

namespace qs::anomaly {

inline constexpr std::size_t metric_count = 5;

/// The series' names, in the order of `metric_values`.
const std::array<std::string_view, metric_count>& metric_names();

/// One scan's value per series; nullopt where the scan says nothing (no certificate expiry).
std::array<std::optional<double>, metric_count> metric_values(const protocol::scan_result& result);

/// Seconds since the epoch of a scan's timestamp (0 when it has none).
double scan_time(const protocol::scan_result& result);

} // namespace qs::anomaly
