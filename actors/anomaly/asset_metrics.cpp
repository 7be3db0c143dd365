#include "actors/anomaly/asset_metrics.hpp"

#include "actors/analytics/quantum_risk.hpp"
#include "protocol/timestamp.hpp"

namespace qs::anomaly {

namespace {

double severity_weight(protocol::severity level) {
  switch (level) {
  case protocol::severity::info:
    return 0;
  case protocol::severity::low:
    return 1;
  case protocol::severity::medium:
    return 3;
  case protocol::severity::high:
    return 7;
  case protocol::severity::critical:
    return 10;
  }
  return 0;
}

std::optional<double> epoch_of(std::string_view text) {
  auto normal = protocol::normalize_iso8601(text);
  return normal ? protocol::epoch_seconds(*normal) : std::nullopt;
}

} // namespace

const std::array<std::string_view, metric_count>& metric_names() {
  static const std::array<std::string_view, metric_count> names{
      "finding_count", "severity_score", "quantum_risk", "quantum_vulnerable_algorithms",
      "days_to_certificate_expiry"};
  return names;
}

double scan_time(const protocol::scan_result& result) {
  return epoch_of(result.timestamp).value_or(0.0);
}

std::array<std::optional<double>, metric_count> metric_values(const protocol::scan_result& result) {
  std::array<std::optional<double>, metric_count> values;
  double severity = 0;
  for (const auto& v : result.vulnerabilities)
    severity += severity_weight(v.level);
  auto quantum = analytics::assess_quantum(result);
  values[0] = static_cast<double>(result.vulnerabilities.size());
  values[1] = severity;
  values[2] = result.quantum_risk_score.value_or(quantum.score);
  values[3] = static_cast<double>(quantum.vulnerable_count);
  if (auto it = result.metadata().find("certificate_not_after"); it != result.metadata().end())
    if (const auto* text = it->value().if_string())
      if (auto expiry = epoch_of(*text))
        values[4] = (*expiry - scan_time(result)) / 86400.0;
  return values;
}

} // namespace qs::anomaly
