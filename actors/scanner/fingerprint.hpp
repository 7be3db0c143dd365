// A finding's stable fingerprint: the same finding on the same target keeps it
// across runs and machines (SARIF's `partialFingerprints`, and what a later run
// is compared by). Made of what identifies the finding, not of how it is worded:
// the rule, the target (or the file and the line of its item), the algorithm and
// the context; never the message, the severity or the time. Pure.
#pragma once

#include <string>

#include "actors/scanner/report.hpp"

namespace qs::scanner {

/// 64 hex digits (SHA-256).
std::string fingerprint(const target_result& target, const finding& f);

/// The key SARIF results carry it under.
inline constexpr const char* fingerprint_key = "qscanFinding/v1";

} // namespace qs::scanner
