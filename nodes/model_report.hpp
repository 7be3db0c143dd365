// What `qscan model eval` prints: one split's figures beside the CVSS ranking,
// and the rolling-origin report (every origin, the means per horizon, the
// reliability pooled over each horizon's test years) as plain-text tables.
#pragma once

#include <ostream>

#include "actors/intel/rolling_validation.hpp"

namespace qs::nodes {

void print_evaluation(const intel::evaluation& e, std::ostream& out);
void print_rolling(const intel::rolling_report& r, const std::string& features, std::ostream& out);

} // namespace qs::nodes
