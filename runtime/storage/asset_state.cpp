#include "runtime/storage/asset_state.hpp"

#include <algorithm>

#include <boost/json/parse.hpp>

#include "protocol/risk_rules.hpp"

namespace qs::runtime::storage {

namespace {

namespace json = boost::json;

std::string text_at(const json::object& o, std::string_view key) {
  if (const auto* v = o.if_contains(key); v && v->is_string())
    return std::string(v->as_string());
  return {};
}

std::optional<double> number_at(const json::object& o, std::string_view key) {
  if (const auto* v = o.if_contains(key); v && v->is_number())
    return v->to_number<double>();
  return std::nullopt;
}

std::optional<json::object> parse_object(const std::string& text) {
  if (text.empty())
    return std::nullopt;
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_object())
    return std::nullopt;
  return std::move(v.as_object());
}

} // namespace

entry_summary summarize(const json::object& scan_result, const protocol::prediction* prediction,
                        std::optional<bool> is_anomaly) {
  entry_summary s;
  s.asset_type = text_at(scan_result, "asset_type");
  s.quantum_risk = number_at(scan_result, "quantum_risk_score");
  s.is_anomaly = is_anomaly;
  const json::array* findings = nullptr;
  if (const auto* v = scan_result.if_contains("vulnerabilities"); v && v->is_array())
    findings = &v->as_array();
  if (const auto* m = scan_result.if_contains("metadata"); m && m->is_object()) {
    const auto& meta = m->as_object();
    if (text_at(meta, "source") == "qscan scanner") {
      s.scan_job = text_at(meta, "scan_job");
      s.kind = text_at(meta, "kind");
      s.not_after = text_at(meta, "certificate_not_after");
    }
  }
  bool post_quantum = false;
  if (findings)
    for (const auto& f : *findings) {
      if (!f.is_object())
        continue;
      const auto& o = f.as_object();
      const auto type = text_at(o, "type");
      if (type == "quantum_safe") {
        post_quantum = post_quantum || text_at(o, "rule") == "QS-KEX-POST-QUANTUM";
        continue; // a fact the scanner records, not a finding
      }
      ++s.findings;
      if (const auto algorithm = text_at(o, "algorithm");
          type == "quantum_vulnerable" && !algorithm.empty() &&
          std::find(s.vulnerable.begin(), s.vulnerable.end(), algorithm) == s.vulnerable.end())
        s.vulnerable.push_back(algorithm);
    }
  if (s.kind == "tls")
    s.post_quantum = post_quantum;
  if (prediction) {
    s.threat_score = prediction->threat_score;
    for (std::size_t i = 0; i < prediction->findings.size(); ++i) {
      const auto& p = prediction->findings[i];
      if (s.top_probability && p.exploit_probability <= *s.top_probability)
        continue;
      s.top_probability = p.exploit_probability;
      s.top_cve = p.cve_id;
      s.top_known_exploited = p.known_exploited;
      s.top_title.clear();
      if (findings && i < findings->size() && (*findings)[i].is_object()) {
        const auto& o = (*findings)[i].as_object();
        s.top_title = text_at(o, "title");
        if (s.top_title.empty())
          s.top_title = text_at(o, "type") + " " + text_at(o, "algorithm");
      }
    }
  }
  return s;
}

entry_summary summary_of(const entry& e) {
  std::optional<protocol::prediction> prediction;
  if (auto p = parse_object(e.prediction)) {
    prediction.emplace();
    prediction->threat_score = number_at(*p, "threat_score").value_or(0);
    if (const auto* fs = p->if_contains("findings"); fs && fs->is_array())
      for (const auto& f : fs->as_array()) {
        auto& out = prediction->findings.emplace_back();
        if (!f.is_object())
          continue;
        out.cve_id = text_at(f.as_object(), "cve_id");
        out.exploit_probability = number_at(f.as_object(), "exploit_probability").value_or(0);
        if (const auto* k = f.as_object().if_contains("known_exploited"); k && k->is_bool())
          out.known_exploited = k->as_bool();
      }
  }
  std::optional<bool> is_anomaly;
  if (auto a = parse_object(e.anomaly))
    if (const auto* v = a->if_contains("is_anomaly"); v && v->is_bool())
      is_anomaly = v->as_bool();
  const auto scan = parse_object(e.scan_result);
  return summarize(scan ? *scan : json::object(), prediction ? &*prediction : nullptr, is_anomaly);
}

asset_row fold(const std::optional<asset_row>& before, const entry& e,
               const entry_summary& summary) {
  asset_row row;
  row.asset_id = e.asset_id;
  row.entries = before ? before->entries + 1 : 1;
  if (before && before->last_entry > e.id) { // written out of order: keep the newer facts
    row = *before;
    row.entries = before->entries + 1;
    return row;
  }
  row.last_entry = e.id;
  row.last_seen = e.stored_at;
  row.scan_timestamp = e.scan_timestamp;
  row.summary = summary;
  if (before) {
    const auto& old = before->summary;
    if (!row.summary.threat_score) { // the latest prediction's verdict stands
      row.summary.threat_score = old.threat_score;
      row.summary.top_probability = old.top_probability;
      row.summary.top_title = old.top_title;
      row.summary.top_cve = old.top_cve;
      row.summary.top_known_exploited = old.top_known_exploited;
    }
    if (!row.summary.is_anomaly)
      row.summary.is_anomaly = old.is_anomaly;
  }
  row.risk = protocol::combined_risk(row.summary.quantum_risk.value_or(0),
                                     row.summary.threat_score.value_or(0),
                                     row.summary.is_anomaly.value_or(false) ? 1.0 : 0.0);
  return row;
}

} // namespace qs::runtime::storage
