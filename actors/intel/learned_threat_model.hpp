// The learned threat model: each finding's probability of exploitation from
// the exploit model (its CVE's full features when the catalogue knows it, its
// own fields otherwise); a CVE in KEV is 1.0 with threat type
// "known_exploited" unless the KEV lookup is off. An asset's threat is
// 1 - prod(1 - p_i).
//
// Confidence says how far to trust the number: per finding, the calibration
// of the model where its probability falls (from the model's reliability
// table: 1 - |observed - predicted| / max(observed, predicted) in that bin)
// times how much was known about it (a catalogued CVE 1; else 0.3 for a
// severity, +0.2 a CVSS vector, +0.15 a CVSS score, +0.15 a CWE or SWC,
// +0.1 a type or title, +0.1 a recognised algorithm); asset confidence =
// 0.3 + 0.65 * mean over its findings; 0.5 with no findings.
// Mitigations come from each finding's CWE and crypto, highest probability first.
#pragma once

#include <memory>

#include "actors/analytics/threat_model.hpp"
#include "actors/intel/cve_snapshot.hpp"
#include "actors/intel/exploit_model.hpp"

namespace qs::intel {

std::unique_ptr<analytics::threat_model>
make_learned_threat_model(std::shared_ptr<const exploit_model> model,
                          std::shared_ptr<const cve_snapshot> cves, bool kev_lookup = true);

} // namespace qs::intel
