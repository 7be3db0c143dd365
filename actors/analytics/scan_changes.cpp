#include "actors/analytics/scan_changes.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <boost/json/parse.hpp>

#include "actors/analytics/algorithm.hpp"

namespace qs::analytics {

namespace {

namespace json = boost::json;

json::object parse_object(const std::string& text) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  return !ec && v.is_object() ? std::move(v.as_object()) : json::object();
}

std::string text_at(const json::object& o, std::string_view key) {
  if (const auto* v = o.if_contains(key); v && v->is_string())
    return std::string(v->as_string());
  return {};
}

const json::array& array_at(const json::object& o, std::string_view key) {
  static const json::array none;
  const auto* v = o.if_contains(key);
  return v && v->is_array() ? v->as_array() : none;
}

/// One scan's facts, keyed for comparison.
struct facts {
  std::map<std::string, json::object> findings; ///< by identity, with what is shown
  std::set<std::string> algorithms;
  std::set<std::string> post_quantum;
  std::map<std::string, json::object> certificates; ///< by SHA-256
  std::optional<double> quantum_risk;
};

bool is_post_quantum_exchange(const json::object& v, const algorithm_assessment& a) {
  if (text_at(v, "rule") == "QS-KEX-POST-QUANTUM")
    return true;
  return (a.status == quantum_status::post_quantum || a.status == quantum_status::hybrid) &&
         a.kind == primitive::key_exchange;
}

facts read_facts(const runtime::storage::entry& e) {
  facts out;
  const auto scan = parse_object(e.scan_result);
  const auto prediction = parse_object(e.prediction);
  const auto& predicted = array_at(prediction, "findings");
  if (const auto* q = scan.if_contains("quantum_risk_score"); q && q->is_number())
    out.quantum_risk = q->to_number<double>();
  const auto& found = array_at(scan, "vulnerabilities");
  for (std::size_t i = 0; i < found.size(); ++i) {
    if (!found[i].is_object())
      continue;
    const auto& v = found[i].as_object();
    const auto type = text_at(v, "type"), algorithm = text_at(v, "algorithm");
    std::optional<algorithm_assessment> rated;
    if (!algorithm.empty()) {
      rated = *assess_algorithm_cached(algorithm);
      out.algorithms.insert(algorithm);
      if (is_post_quantum_exchange(v, *rated))
        out.post_quantum.insert(algorithm);
    }
    if (type == "quantum_safe")
      continue; // a fact the scanner records, not a finding
    const auto rule = text_at(v, "rule");
    const auto cve = text_at(v, "cve_id");
    const auto identity = (rule.empty() ? type : rule) + '\n' + algorithm + '\n' +
                          text_at(v, "location") + '\n' + cve;
    json::object shown{{"type", type},
                       {"severity", text_at(v, "severity")},
                       {"algorithm", algorithm.empty() ? json::value() : json::value(algorithm)},
                       {"location", text_at(v, "location")},
                       {"title", text_at(v, "title")},
                       {"rule", rule.empty() ? json::value() : json::value(rule)},
                       {"cve_id", cve.empty() ? json::value() : json::value(cve)},
                       {"quantum_status", rated && rated->recognised
                                              ? json::value(to_string(rated->status))
                                              : json::value()},
                       {"exploit_probability", nullptr}};
    if (i < predicted.size() && predicted[i].is_object())
      if (const auto* p = predicted[i].as_object().if_contains("exploit_probability");
          p && p->is_number())
        shown["exploit_probability"] = p->to_number<double>();
    out.findings.emplace(identity, std::move(shown));
  }
  if (const auto* m = scan.if_contains("metadata"); m && m->is_object())
    for (const auto& c : array_at(m->as_object(), "certificates"))
      if (c.is_object())
        if (auto sha = text_at(c.as_object(), "sha256"); !sha.empty())
          out.certificates.emplace(sha, c.as_object());
  return out;
}

void write_side(protocol::json_writer& out, const runtime::storage::entry* e) {
  if (!e)
    return void(out.null());
  out.begin_object();
  out.key("id").value(e->id);
  out.key("stored_at").value(e->stored_at);
  out.key("scan_timestamp").value(e->scan_timestamp);
  out.end_object();
}

/// Writes the members of `a` whose keys `b` lacks.
template<class Map> void write_missing(protocol::json_writer& out, const Map& a, const Map& b) {
  out.begin_array();
  for (const auto& [key, value] : a)
    if (!b.count(key))
      out.value(value);
  out.end_array();
}

void write_missing(protocol::json_writer& out, const std::set<std::string>& a,
                   const std::set<std::string>& b) {
  out.begin_array();
  for (const auto& item : a)
    if (!b.count(item))
      out.value(item);
  out.end_array();
}

} // namespace

void write_changes(protocol::json_writer& out, const std::string& asset_id,
                   const runtime::storage::entry* from, const runtime::storage::entry* to) {
  facts before, after;
  if (from && to) {
    before = read_facts(*from);
    after = read_facts(*to);
  }
  std::size_t added = 0, fixed = 0, kept = 0;
  for (const auto& [key, f] : after.findings)
    ++(before.findings.count(key) ? kept : added);
  for (const auto& [key, f] : before.findings)
    fixed += !after.findings.count(key);

  out.begin_object();
  out.key("asset_id").value(asset_id);
  out.key("from");
  write_side(out, from && to ? from : nullptr);
  out.key("to");
  write_side(out, to);
  out.key("findings").begin_object();
  out.key("new");
  write_missing(out, after.findings, before.findings);
  out.key("fixed");
  write_missing(out, before.findings, after.findings);
  out.key("unchanged").begin_array();
  for (const auto& [key, f] : after.findings)
    if (before.findings.count(key))
      out.value(f);
  out.end_array();
  out.end_object();
  out.key("algorithms").begin_object();
  out.key("added");
  write_missing(out, after.algorithms, before.algorithms);
  out.key("removed");
  write_missing(out, before.algorithms, after.algorithms);
  out.end_object();
  out.key("post_quantum_groups").begin_object();
  out.key("gained");
  write_missing(out, after.post_quantum, before.post_quantum);
  out.key("lost");
  write_missing(out, before.post_quantum, after.post_quantum);
  out.end_object();
  out.key("certificates").begin_object();
  out.key("added");
  write_missing(out, after.certificates, before.certificates);
  out.key("removed");
  write_missing(out, before.certificates, after.certificates);
  out.end_object();
  out.key("quantum_risk").begin_object();
  out.key("from");
  before.quantum_risk ? out.value(*before.quantum_risk) : out.null();
  out.key("to");
  after.quantum_risk ? out.value(*after.quantum_risk) : out.null();
  out.end_object();
  out.key("summary").value(from && to ? std::to_string(added) + " new, " + std::to_string(fixed) +
                                            " fixed, " + std::to_string(kept) + " unchanged"
                                      : std::string("fewer than two scans: nothing to compare"));
  out.end_object();
}

} // namespace qs::analytics
