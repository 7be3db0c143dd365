// A finding's stable fingerprint: the same finding on the same target keeps it
// across runs and machines (SARIF's `partialFingerprints`, and what a later run
// is compared by). Findings are compared as the reports show them, grouped by rule
// and location (finding_groups.hpp): the fingerprint is made of the rule, the
// target and the finding's location there (a key file: its path alone), never of
// the wording, the severity, the instances or the time. A group whose instances
// change keeps its fingerprint (SARIF: `updated`). Pure.
#pragma once

#include <string>

#include "actors/scanner/report.hpp"

namespace qs::scanner {

/// 64 hex digits (SHA-256). `f`: any finding of the group, or its summary.
std::string fingerprint(const target_result& target, const finding& f);

/// The key SARIF results carry it under (v1 was one per finding, before grouping).
inline constexpr const char* fingerprint_key = "qscanFinding/v2";

} // namespace qs::scanner
