// Rule-based anomaly detection over one scan result, and posture drift against
// the previous scan of the same asset. Pure; thread-safe.
//
// Rules and their scores:
//   deprecated_usage        a classically broken algorithm (MD5, SHA-1, DES, 3DES, RC4,
//                           MD4, RSA-1024, ...) anywhere, suite parts included   0.9
//   algorithm_concentration one algorithm > 80% of >= 5 algorithm entries: 0.7 when it
//                           is quantum-vulnerable, else 0.4
//   inconsistent_key_sizes  more than 3 key sizes in one family                 0.6
//   key_downgrade           a family's smallest key size fell since last scan    0.8
//   algorithm_weakened      the worst NIST quantum level fell since last scan    0.7
//   post_quantum_removed    a post-quantum or hybrid algorithm seen last scan is gone 0.85
//   finding_count_spike     findings >= 2x and >= +5 since last scan             0.6
// anomaly_score = highest rule score + 0.05 per further rule hit (at most 1);
// is_anomaly = score >= 0.5. Confidence = 0.5 + 0.4 * share of algorithm entries
// we recognise (0.5 without any), + 0.05 with a previous posture, at most 0.95.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>

#include "protocol/answers.hpp"
#include "protocol/scan_result.hpp"

namespace qs::analytics {

/// What a scan says about an asset's cryptography; kept between scans for drift.
struct posture {
  std::map<std::string, int> algorithm_counts; ///< canonical name (input if unrecognised) -> count
  int worst_nist_level = -1;                   ///< lowest category recognised; -1 when none
  bool has_post_quantum = false;
  std::set<std::string> post_quantum; ///< post-quantum and hybrid names
  int finding_count = 0;
  std::map<std::string, std::set<int>> key_sizes; ///< family -> key sizes (hashes excluded)
  double quantum_score = 0;                       ///< `quantum_risk_score` of the scan
};

posture summarize(const protocol::scan_result& result);

protocol::anomaly detect_anomalies(const protocol::scan_result& result,
                                   const std::optional<posture>& previous);

} // namespace qs::analytics
