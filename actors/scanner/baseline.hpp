// A previous run to compare with (`qscan scan --baseline FILE`): its findings (as
// grouped by rule and location) by fingerprint (fingerprint.hpp), read from that
// run's `json` or `sarif` output.
// Each finding of this run is then new, unchanged, or updated (the same finding
// with another severity or message), and each of the previous run's findings
// that is gone is absent, as SARIF's `baselineState` says. Pure.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "actors/scanner/report.hpp"

namespace qs::scanner {

struct baseline_finding {
  std::string fingerprint;
  std::string rule;
  std::string severity;
  std::string message;
  std::string uri; ///< the target, or the file's URI
  int line = 0;
};

/// The previous run's findings by fingerprint.
using baseline = std::map<std::string, baseline_finding>;

/// `text` is a run's `json` output (an array of target results) or its `sarif`
/// output (a SARIF log; results already absent there are not findings of it).
std::variant<baseline, std::string> read_baseline(std::string_view text);

enum class baseline_state { new_, unchanged, updated, absent };
const char* to_string(baseline_state s);

struct comparison {
  /// One per finding group of this run (finding_groups.hpp), in order: group j of
  /// results[i] is states[i][j].
  std::vector<std::vector<baseline_state>> states;
  /// The previous run's findings this run no longer has, by fingerprint.
  std::vector<baseline_finding> absent;
};

comparison compare(const std::vector<target_result>& results, const baseline& before);

/// A finding's location as SARIF names it: the target, or the file's URI.
std::string location_uri(const target_result& target, const finding& f);

} // namespace qs::scanner
