// The enhanced risk assessment over a batch, exactly as SEED_CONTRACT.md's client
// computes it: avg_quantum = mean quantum score over the scan results,
// avg_threat = mean threat_score over the predictions (0 if none), anomaly_rate =
// share of anomaly answers with is_anomaly (0 if none),
// overall = min(w.quantum * avg_quantum + w.threat * avg_threat + w.anomaly * anomaly_rate, 1)
// with weights 0.4 / 0.4 / 0.2 by default. Risk factors: "High quantum vulnerability
// detected" (avg_quantum > 0.7), "High AI-predicted threat probability"
// (avg_threat > 0.8), "Significant anomalous behavior detected" (anomaly_rate > 0.3).
// No scan results (no quantum scores): `empty = true`, overall 0, no factors.
// Pure; thread-safe.
#pragma once

#include <vector>

#include "protocol/answers.hpp"
#include "protocol/risk_rules.hpp"

namespace qs::analytics {

using protocol::risk_level;
using protocol::risk_weights;

/// `quantum_scores` holds one `quantum_risk_score` per scan result.
protocol::risk_assessment assess_risk(const std::vector<double>& quantum_scores,
                                      const std::vector<protocol::prediction>& predictions,
                                      const std::vector<protocol::anomaly>& anomalies,
                                      const risk_weights& weights = {});

} // namespace qs::analytics
