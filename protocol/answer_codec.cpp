#include "protocol/answer_codec.hpp"

namespace qs::protocol {

void write_prediction(json_writer& out, const prediction& p) {
  out.begin_object();
  out.key("threat_score").value(p.threat_score);
  out.key("threat_types").strings(p.threat_types);
  out.key("confidence").value(p.confidence);
  out.key("mitigation_steps").strings(p.mitigation_steps);
  out.key("predicted_at").value(p.predicted_at);
  if (!p.model_version.empty())
    out.key("model_version").value(p.model_version);
  if (!p.findings.empty()) {
    out.key("findings").begin_array();
    for (const auto& f : p.findings) {
      out.begin_object();
      if (!f.cve_id.empty())
        out.key("cve_id").value(f.cve_id);
      out.key("exploit_probability").value(f.exploit_probability);
      out.key("known_exploited").value(f.known_exploited);
      out.key("catalogued").value(f.catalogued);
      out.end_object();
    }
    out.end_array();
  }
  out.end_object();
}

void write_anomaly(json_writer& out, const anomaly& a) {
  out.begin_object();
  out.key("is_anomaly").value(a.is_anomaly);
  out.key("anomaly_score").value(a.anomaly_score);
  out.key("anomaly_types").strings(a.anomaly_types);
  out.key("confidence").value(a.confidence);
  out.key("detected_at").value(a.detected_at);
  out.key("details").strings(a.details);
  out.end_object();
}

void write_risk(json_writer& out, const risk_assessment& r) {
  out.begin_object();
  out.key("overall_risk").value(r.overall_risk);
  if (!r.empty) {
    out.key("quantum_risk").value(r.quantum_risk);
    out.key("ai_threat_risk").value(r.ai_threat_risk);
    out.key("anomaly_rate").value(r.anomaly_rate);
  }
  out.key("risk_factors").strings(r.risk_factors);
  if (!r.empty)
    out.key("risk_level").value(r.risk_level);
  out.end_object();
}

std::string encode_prediction(const prediction& p) {
  json_writer out;
  write_prediction(out, p);
  return out.release();
}

std::string encode_anomaly(const anomaly& a) {
  json_writer out;
  write_anomaly(out, a);
  return out.release();
}

std::string encode_error(std::string_view code, std::string_view message, const problems& details) {
  json_writer out;
  out.begin_object().key("error").begin_object();
  out.key("code").value(code);
  out.key("message").value(message);
  out.key("details").begin_array();
  for (const auto& d : details) {
    out.begin_object();
    out.key("path").value(d.path);
    out.key("problem").value(d.message);
    out.end_object();
  }
  out.end_array().end_object().end_object();
  return out.release();
}

} // namespace qs::protocol
