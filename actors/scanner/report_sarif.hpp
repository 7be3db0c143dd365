// The `sarif` format of `qscan scan`: SARIF 2.1.0 for code-scanning and CI
// interfaces. One rule per kind of finding (stable ids, help text), one result
// per finding with its location (the target's URI, or the file and line), the
// level from its severity, a stable fingerprint; compared with a previous run,
// each result's baselineState and the previous run's findings that are gone
// (absent). Pure.
#pragma once

#include <string>
#include <vector>

#include "actors/scanner/report.hpp"

namespace qs::scanner {

struct comparison;

std::string results_sarif(const std::vector<target_result>& results,
                          const comparison* against = nullptr);

} // namespace qs::scanner
