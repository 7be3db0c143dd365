#include "actors/analytics/risk.hpp"

#include <algorithm>

namespace qs::analytics {

protocol::risk_assessment assess_risk(const std::vector<double>& quantum_scores,
                                      const std::vector<protocol::prediction>& predictions,
                                      const std::vector<protocol::anomaly>& anomalies,
                                      const risk_weights& weights) {
  protocol::risk_assessment out;
  if (quantum_scores.empty()) {
    out.empty = true;
    out.risk_level = risk_level(0);
    return out;
  }
  double quantum = 0;
  for (double q : quantum_scores)
    quantum += q;
  quantum /= static_cast<double>(quantum_scores.size());

  double threat = 0;
  for (const auto& p : predictions)
    threat += p.threat_score;
  if (!predictions.empty())
    threat /= static_cast<double>(predictions.size());

  double rate = 0;
  if (!anomalies.empty())
    rate = static_cast<double>(std::count_if(anomalies.begin(), anomalies.end(),
                                             [](const auto& a) { return a.is_anomaly; })) /
           static_cast<double>(anomalies.size());

  out.quantum_risk = quantum;
  out.ai_threat_risk = threat;
  out.anomaly_rate = rate;
  out.overall_risk = protocol::combined_risk(quantum, threat, rate, weights);
  if (quantum > 0.7)
    out.risk_factors.push_back("High quantum vulnerability detected");
  if (threat > 0.8)
    out.risk_factors.push_back("High AI-predicted threat probability");
  if (rate > 0.3)
    out.risk_factors.push_back("Significant anomalous behavior detected");
  out.risk_level = risk_level(out.overall_risk);
  return out;
}

} // namespace qs::analytics
