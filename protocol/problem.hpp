// A problem found while validating input: the JSON path of the bad field and
// what is wrong with it. Every decoder reports all problems, not just the first.
#pragma once

#include <string>
#include <vector>

namespace qs::protocol {

struct problem {
  std::string path;    ///< e.g. "scan_results[1].quantum_risk_score"; "" for the whole body
  std::string message; ///< e.g. "expected a number between 0 and 1, got a string"
};

using problems = std::vector<problem>;

/// Builds child paths: `field_path("scan_results[1]", "asset_id")`.
inline std::string field_path(const std::string& parent, const std::string& field) {
  return parent.empty() ? field : parent + "." + field;
}

inline std::string index_path(const std::string& parent, std::size_t index) {
  return parent + "[" + std::to_string(index) + "]";
}

} // namespace qs::protocol
