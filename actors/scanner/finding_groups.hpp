// A target's findings grouped by rule and location (the target, or a key file), so
// that a person reads one line per problem and its fix: eleven groups that
// Shor's algorithm breaks on one endpoint are one finding naming all eleven. Every
// report groups them the same way (table, json, sarif, the baseline comparison);
// the target's facts stay flat and complete. Pure.
#pragma once

#include <vector>

#include "actors/scanner/report.hpp"

namespace qs::scanner {

struct finding_group {
  /// The group as one finding: its rule and location, the first instance's line,
  /// the highest severity, each field the instances share (else ""), and a message
  /// naming every instance (a group of one: the finding itself).
  finding summary;
  std::vector<finding> instances; ///< in the order they were found
};

/// In the order each group's first finding was found.
std::vector<finding_group> group_findings(const std::vector<finding>& findings);

} // namespace qs::scanner
