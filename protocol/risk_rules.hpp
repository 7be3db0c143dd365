// The contract's risk rules (SEED_CONTRACT.md, "The enhanced assessment"): how a
// quantum score, a threat score and an anomaly rate combine into an overall risk,
// and the level it names. The batch assessment (actors/analytics/risk.hpp) and each
// asset's standing in the asset list (runtime/storage/asset_state.hpp) use both.
// Pure.
#pragma once

namespace qs::protocol {

struct risk_weights {
  double quantum = 0.4, threat = 0.4, anomaly = 0.2;
};

/// min(w.quantum * quantum + w.threat * threat + w.anomaly * anomaly_rate, 1).
double combined_risk(double quantum, double threat, double anomaly_rate,
                     const risk_weights& weights = {});

/// CRITICAL >= 0.8, HIGH >= 0.6, MEDIUM >= 0.4, LOW >= 0.2, else MINIMAL.
const char* risk_level(double overall);

/// The lowest overall risk of `level` ("CRITICAL" ... "MINIMAL"), -1 for another text.
double risk_level_floor(const char* level);

} // namespace qs::protocol
