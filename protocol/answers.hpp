// The output domain types: a threat prediction and an anomaly answer per scan
// result, and the enhanced risk assessment over a batch. Field names match
// SEED_CONTRACT.md; encoders are in `protocol/answer_codec.hpp`.
#pragma once

#include <string>
#include <vector>

namespace qs::protocol {

/// Scores in answers carry 4 decimals: more is noise to a reader and makes
/// "0.6699999999999999" out of 0.67.
inline double round_score(double value) {
  return static_cast<double>(static_cast<long long>(value * 10000.0 + 0.5)) / 10000.0;
}

/// One finding's part of a prediction (extra field "findings", in finding order).
struct finding_prediction {
  std::string cve_id; ///< "" when the finding names none
  double exploit_probability = 0;
  bool known_exploited = false; ///< its CVE is in the KEV catalogue
  bool catalogued = false;      ///< its CVE is in the catalogue: predicted from the CVE's features
};

struct prediction {
  double threat_score = 0;
  std::vector<std::string> threat_types;
  double confidence = 0;
  std::vector<std::string> mitigation_steps;
  std::string predicted_at;                 ///< ISO 8601, see `timestamp.hpp`
  std::string model_version;                ///< extra field: which model answered
  std::vector<finding_prediction> findings; ///< extra field; empty: not given
};

struct anomaly {
  bool is_anomaly = false;
  double anomaly_score = 0;
  std::vector<std::string> anomaly_types;
  double confidence = 0;
  std::string detected_at;
  std::vector<std::string> details; ///< extra field: one human-readable line per finding
};

struct risk_assessment {
  double overall_risk = 0;
  double quantum_risk = 0;
  double ai_threat_risk = 0;
  double anomaly_rate = 0;
  std::vector<std::string> risk_factors;
  std::string risk_level; ///< CRITICAL, HIGH, MEDIUM, LOW, MINIMAL
  bool empty = false;     ///< no scan results: encoded as {"overall_risk":0.0,"risk_factors":[]}
};

} // namespace qs::protocol
