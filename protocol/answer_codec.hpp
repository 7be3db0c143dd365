// Encodes answers (predictions, anomalies, risk assessments) and errors as
// JSON, field for field as SEED_CONTRACT.md names them.
#pragma once

#include <string>
#include <string_view>

#include "protocol/answers.hpp"
#include "protocol/json_writer.hpp"
#include "protocol/problem.hpp"

namespace qs::protocol {

void write_prediction(json_writer& out, const prediction& p);
void write_anomaly(json_writer& out, const anomaly& a);
/// `{"overall_risk", "quantum_risk", "ai_threat_risk", "anomaly_rate", "risk_factors",
/// "risk_level"}`, or `{"overall_risk": 0.0, "risk_factors": []}` when empty.
void write_risk(json_writer& out, const risk_assessment& r);

std::string encode_prediction(const prediction& p);
std::string encode_anomaly(const anomaly& a);

/// The one error shape: {"error":{"code","message","details":[{"path","problem"}]}}.
std::string encode_error(std::string_view code, std::string_view message,
                         const problems& details = {});

} // namespace qs::protocol
