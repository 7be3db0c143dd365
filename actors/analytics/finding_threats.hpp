// What one finding threatens and what to do about it, in words: specific threat
// types ("quantum_vulnerable_key_exchange", "classically_broken_cipher",
// "injection", "reentrancy", ...) from its algorithm, CWE, SWC and type, and
// mitigation sentences that name the algorithm, the location and the replacement
// ("Replace RSA-1024 key exchange at /api/auth with ML-KEM-768 (RSA-1024 is
// already classically broken)"). Used by the rule threat model. Pure; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "actors/analytics/algorithm.hpp"
#include "protocol/scan_result.hpp"

namespace qs::analytics {

/// Threat types of one finding, most specific first, without duplicates.
/// `algorithm` is the finding's assessed algorithm, or null when it names none.
std::vector<std::string> finding_threat_types(const protocol::vulnerability& v,
                                              const algorithm_assessment* algorithm);

/// Mitigation sentences for one finding (usually one).
std::vector<std::string> finding_mitigations(const protocol::vulnerability& v,
                                             const algorithm_assessment* algorithm);

/// True when the finding's CWE or SWC is in the tables of commonly exploited weaknesses.
bool has_known_weakness(const protocol::vulnerability& v);

/// Appends `items` to `out`, skipping any already present.
void append_unique(std::vector<std::string>& out, const std::vector<std::string>& items);

} // namespace qs::analytics
