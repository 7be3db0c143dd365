// Decodes and validates a batch of scan results from a request body, in the
// shapes Scorpius sends: the client's ScanResult, Scorpius's own findings
// (category, severity_value, location objects), and the older
// {target_id, findings, details} shape, which is mapped (and said so in a
// warning). Every problem is reported with its path; unknown fields are kept.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <boost/json/value.hpp>

#include "protocol/problem.hpp"
#include "protocol/scan_result.hpp"

namespace qs::protocol {

struct batch_limits {
  std::size_t max_scan_results = 10000;
  std::size_t max_findings = 10000; ///< per scan result
  std::size_t max_string = 64 * 1024;
};

struct decoded_batch {
  std::vector<scan_result> results;
  problems errors;                   ///< empty when the batch is valid
  std::vector<std::string> warnings; ///< mapped shapes, ignored values
  boost::json::object request;       ///< the body's other members (e.g. "model_type")
};

/// `list_field` is "scan_results" (predict, anomalies, enhance) or "training_data".
/// Takes the body by value: move it in, and its members are moved, not copied.
decoded_batch decode_batch(boost::json::value body, std::string_view list_field,
                           const batch_limits& limits = {});

/// Decodes one scan result object found at `path` (also used to re-read stored ones).
scan_result decode_scan_result(boost::json::value item, const std::string& path,
                               const batch_limits& limits, problems& errors,
                               std::vector<std::string>& warnings);

} // namespace qs::protocol
