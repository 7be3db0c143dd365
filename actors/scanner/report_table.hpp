// The `table` format of `qscan scan`: one block per target for a person at a
// terminal (protocols, groups, certificates, findings by severity, the quantum
// risk). Pure.
#pragma once

#include <string>
#include <vector>

#include "actors/scanner/report.hpp"

namespace qs::scanner {

std::string results_table(const std::vector<target_result>& results);

} // namespace qs::scanner
