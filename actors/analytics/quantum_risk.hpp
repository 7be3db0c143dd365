// The quantum risk of one asset's scan result, from the algorithms its findings
// name (see `algorithm.hpp`) or, where a finding names none (Slither-style) or
// one we do not recognise, from its type ("quantum_vulnerable", "weak_crypto")
// and severity. Pure; thread-safe.
//
// Counted entries are findings that name an algorithm or whose type is
// cryptographic; other findings (reentrancy, injection, ...) do not count.
// Entry risk: the algorithm's `risk`; for a quantum-typed finding without a
// recognised algorithm 0.3 / 0.5 / 0.7 / 0.85 / 0.95 (info .. critical), for other
// crypto-typed findings 0.15 / 0.35 / 0.55 / 0.75 / 0.9; for an unrecognised
// algorithm in a non-crypto finding 0.6 x severity weight. An entry is vulnerable
// when its algorithm is broken by Shor or classically broken, or, without a
// recognised algorithm, when it is quantum-typed or crypto-typed at high/critical.
//
//   score = min(1, 0.6 * worst_entry_risk + 0.4 * vulnerable_entries / counted_entries)
//
// and 0 when nothing counts (no findings, or none cryptographic).
#pragma once

#include <vector>

#include "actors/analytics/algorithm.hpp"
#include "protocol/scan_result.hpp"

namespace qs::analytics {

struct asset_quantum_summary {
  double score = 0;                      ///< 0..1, formula above
  std::vector<algorithm_ref> algorithms; ///< one per finding naming an algorithm, in order
  int vulnerable_count = 0;              ///< vulnerable counted entries
  int total_with_algorithm = 0;          ///< counted entries (algorithm named or crypto type)
};

asset_quantum_summary assess_quantum(const protocol::scan_result& result);

/// `assess_quantum(result).score`; callers use it when the scan result lacks
/// `quantum_risk_score` (this function ignores that field).
double quantum_risk_score(const protocol::scan_result& result);

} // namespace qs::analytics
