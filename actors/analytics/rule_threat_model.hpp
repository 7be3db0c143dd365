// The v0 threat model: hand-written rules, no training (version "rules-v0").
//
// Per finding, the probability that it is exploited (`finding_exploit_probability`):
//   start from the severity (info 0.02, low 0.05, medium 0.12, high 0.3, critical 0.5);
//   with a CVSS score s, blend 0.4 * that + 0.6 * (0.02 + 0.68 * (s/10)^3);
//   then shift the log-odds: CVSS vector AV:N +0.4, AV:L -0.4, AV:P -1, AC:H -0.4,
//   PR:N +0.3, PR:H -0.4, UI:N +0.2, UI:R -0.3; a commonly exploited CWE
//   (injection / code execution class +0.8, other listed +0.4) or SWC (+0.8 / +0.3);
//   crypto: classically broken +1.0, broken by Shor +0.3 (harvest now, decrypt
//   later), post-quantum / hybrid / unaffected -0.5, a quantum-typed finding without
//   a recognised algorithm +0.3, other crypto-typed +0.2;
//   finally scale by (0.5 + 0.5 * confidence) when the finding gives one, and
//   clamp to [0.001, 0.99].
// Per asset: threat_score = 1 - prod(1 - p_i); with no findings 0.01.
// Confidence: each finding's evidence e = 0.3 + 0.2 (CVSS score) + 0.1 (CVSS vector)
//   + 0.2 (recognised algorithm or listed CWE/SWC) + 0.2 * its confidence (0.1 when
//   absent); asset confidence = min(0.95, 0.35 + 0.5 * mean(e) + 0.02 * min(n, 5));
//   0.5 with no findings.
// Mitigation steps are ordered by their finding's probability, highest first.
#pragma once

#include <memory>

#include "actors/analytics/threat_model.hpp"

namespace qs::analytics {

std::unique_ptr<threat_model> make_rule_threat_model();

/// The v0 probability that one finding is exploited, rules above.
double finding_exploit_probability(const protocol::vulnerability& v);

} // namespace qs::analytics
