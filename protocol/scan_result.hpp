// The input domain types: a scan result (one per asset) and its findings, as
// Scorpius posts them. Decoded by `protocol/scan_result_codec.hpp`.
// Plain values: copy them freely between threads.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

namespace qs::protocol {

/// Severities, normalised from "HIGH", "high", "informational", severity_value 0-4...
enum class severity { info = 0, low = 1, medium = 2, high = 3, critical = 4 };

const char* to_string(severity s);

/// Parses a severity name case-insensitively ("info", "informational", "low",
/// "medium", "moderate", "high", "critical"); nullopt when unknown.
std::optional<severity> parse_severity(std::string_view text);

struct vulnerability {
  std::string type; ///< "weak_crypto", ...; "" when the finding had none
  severity level = severity::medium;
  std::string algorithm; ///< "" when none
  std::string location;  ///< string form; {filename,line,column} becomes "file:line:column"
  std::string cwe_id;    ///< normalised "CWE-327"; "" when none
  std::string cve_id;
  std::string cvss_vector;
  std::string swc_id;
  std::string title;
  std::optional<double> cvss_score; ///< 0..10
  std::optional<double> confidence; ///< 0..1
  std::optional<bool> exploited;    ///< a training label, when given
};

struct scan_result {
  std::string asset_id;
  std::string asset_type = "unknown";
  std::vector<vulnerability> vulnerabilities;
  std::optional<double> quantum_risk_score; ///< as given; filled by assessment when absent
  std::string timestamp;                    ///< ISO 8601 without 'Z', as normalised
  /// The scan result as received after normalisation (defaults filled in,
  /// unknown fields kept): this is what is stored and echoed back.
  boost::json::object document;

  /// document's "metadata" object (empty when it has none). Not a copy: a
  /// metadata of millions of members costs its memory once.
  const boost::json::object& metadata() const;
};

} // namespace qs::protocol
