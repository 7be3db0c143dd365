#include "actors/analytics/quantum_risk.hpp"

#include <algorithm>

#include "actors/analytics/finding_traits.hpp"

namespace qs::analytics {

namespace {

struct entry {
  bool counted = false;
  bool vulnerable = false;
  double risk = 0;
};

double quantum_typed_risk(protocol::severity s) {
  constexpr double by_severity[] = {0.3, 0.5, 0.7, 0.85, 0.95};
  return by_severity[static_cast<int>(s)];
}

double crypto_typed_risk(protocol::severity s) {
  constexpr double by_severity[] = {0.15, 0.35, 0.55, 0.75, 0.9};
  return by_severity[static_cast<int>(s)];
}

entry judge(const protocol::vulnerability& v, const algorithm_assessment* a) {
  if (a && a->recognised)
    return {true, is_quantum_vulnerable(a->status), a->risk};
  if (is_quantum_finding_type(v))
    return {true, true, quantum_typed_risk(v.level)};
  if (is_crypto_finding_type(v))
    return {true, v.level >= protocol::severity::high, crypto_typed_risk(v.level)};
  if (a) // an algorithm we cannot place, in a finding that does not say it is crypto
    return {true, false, 0.6 * severity_weight(v.level)};
  return {};
}

} // namespace

asset_quantum_summary assess_quantum(const protocol::scan_result& result) {
  asset_quantum_summary summary;
  double worst = 0;
  for (const auto& v : result.vulnerabilities) {
    const algorithm_assessment* a = nullptr;
    if (!v.algorithm.empty()) {
      summary.algorithms.push_back(assess_algorithm_cached(v.algorithm));
      a = summary.algorithms.back().get();
    }
    auto e = judge(v, a);
    if (!e.counted)
      continue;
    ++summary.total_with_algorithm;
    summary.vulnerable_count += e.vulnerable ? 1 : 0;
    worst = std::max(worst, e.risk);
  }
  if (summary.total_with_algorithm == 0)
    return summary;
  double share = static_cast<double>(summary.vulnerable_count) / summary.total_with_algorithm;
  summary.score = std::min(1.0, 0.6 * worst + 0.4 * share);
  return summary;
}

double quantum_risk_score(const protocol::scan_result& result) {
  return assess_quantum(result).score;
}

} // namespace qs::analytics
