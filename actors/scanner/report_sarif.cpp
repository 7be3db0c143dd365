#include "actors/scanner/report_sarif.hpp"

#include <map>

#include "actors/scanner/baseline.hpp"
#include "actors/scanner/finding_groups.hpp"
#include "actors/scanner/fingerprint.hpp"
#include "actors/scanner/rules.hpp"
#include "protocol/json_writer.hpp"

namespace qs::scanner {
namespace {

const char* level_of(const std::string& severity) {
  if (severity == "critical" || severity == "high")
    return "error";
  if (severity == "medium")
    return "warning";
  return "note";
}

// GitHub's security-severity: a CVSS-like score per level.
const char* security_severity(const std::string& severity) {
  return severity == "critical" ? "9.5"
         : severity == "high"   ? "7.5"
         : severity == "medium" ? "5.0"
         : severity == "low"    ? "3.0"
                                : "0.0";
}

} // namespace

std::string results_sarif(const std::vector<target_result>& results, const comparison* against) {
  // The rules that occur, with the severity of their first finding as default.
  std::map<std::string, std::string> used;
  for (const auto& r : results)
    for (const auto& f : r.findings)
      used.emplace(f.rule, f.severity);
  if (against)
    for (const auto& f : against->absent)
      used.emplace(f.rule, f.severity);
  std::map<std::string, int> index;
  protocol::json_writer out;
  out.begin_object();
  out.key("$schema").value("https://json.schemastore.org/sarif-2.1.0.json");
  out.key("version").value("2.1.0");
  out.key("runs").begin_array().begin_object();
  out.key("tool").begin_object().key("driver").begin_object();
  out.key("name").value("qscan");
  out.key("version").value(QS_VERSION);
  out.key("semanticVersion").value(QS_VERSION);
  out.key("rules").begin_array();
  int next = 0;
  for (const auto& [id, severity] : used) {
    const auto* r = find_rule(id);
    index[id] = next++;
    out.begin_object();
    out.key("id").value(id);
    out.key("name").value(r ? r->name : std::string_view(id));
    out.key("shortDescription").begin_object().key("text").value(r ? r->title : id).end_object();
    out.key("fullDescription").begin_object().key("text").value(r ? r->help : id).end_object();
    out.key("help").begin_object().key("text").value(r ? r->help : id).end_object();
    out.key("defaultConfiguration")
        .begin_object()
        .key("level")
        .value(level_of(severity))
        .end_object();
    out.key("properties").begin_object();
    out.key("tags").strings({"security", "cryptography", "post-quantum"});
    out.key("security-severity").value(security_severity(severity));
    out.end_object();
    out.end_object();
  }
  out.end_array();
  out.end_object().end_object(); // driver, tool
  out.key("results").begin_array();
  for (std::size_t i = 0; i < results.size(); ++i) {
    const auto& r = results[i];
    const auto groups = group_findings(r.findings);
    for (std::size_t j = 0; j < groups.size(); ++j) {
      const auto& f = groups[j].summary;
      out.begin_object();
      out.key("ruleId").value(f.rule);
      out.key("ruleIndex").value(index[f.rule]);
      out.key("level").value(level_of(f.severity));
      out.key("message").begin_object().key("text").value(f.message).end_object();
      out.key("locations").begin_array().begin_object();
      out.key("physicalLocation").begin_object();
      out.key("artifactLocation").begin_object();
      out.key("uri").value(location_uri(r, f));
      out.end_object();
      if (f.line > 0)
        out.key("region").begin_object().key("startLine").value(f.line).end_object();
      out.end_object(); // physicalLocation
      out.end_object().end_array();
      out.key("partialFingerprints").begin_object();
      out.key(fingerprint_key).value(fingerprint(r, f));
      out.end_object();
      if (against)
        out.key("baselineState").value(to_string(against->states[i][j]));
      out.key("properties").begin_object();
      out.key("algorithm").value(f.algorithm);
      out.key("context").value(f.context);
      out.key("quantumStatus").value(f.quantum_status);
      out.key("nistQuantumSecurityLevel").value(f.nist_category);
      if (!f.replacement.empty())
        out.key("replacement").value(f.replacement);
      if (!f.deadline.empty())
        out.key("deadline").value(f.deadline);
      out.key("severity").value(f.severity);
      if (groups[j].instances.size() > 1) {
        out.key("instances").begin_array();
        for (const auto& each : groups[j].instances) {
          out.begin_object();
          out.key("algorithm").value(each.algorithm);
          out.key("context").value(each.context);
          out.key("quantumStatus").value(each.quantum_status);
          out.key("severity").value(each.severity);
          out.key("message").value(each.message);
          if (each.line > 0)
            out.key("line").value(each.line);
          out.end_object();
        }
        out.end_array();
      }
      out.end_object();
      out.end_object();
    }
  }
  // The previous run's findings that are gone: as that run described them.
  if (against)
    for (const auto& f : against->absent) {
      out.begin_object();
      out.key("ruleId").value(f.rule);
      out.key("ruleIndex").value(index[f.rule]);
      out.key("level").value(level_of(f.severity));
      out.key("message").begin_object().key("text").value(f.message).end_object();
      out.key("locations").begin_array().begin_object();
      out.key("physicalLocation").begin_object();
      out.key("artifactLocation").begin_object().key("uri").value(f.uri).end_object();
      if (f.line > 0)
        out.key("region").begin_object().key("startLine").value(f.line).end_object();
      out.end_object().end_object().end_array();
      out.key("partialFingerprints").begin_object();
      out.key(fingerprint_key).value(f.fingerprint);
      out.end_object();
      out.key("baselineState").value("absent");
      out.key("properties").begin_object().key("severity").value(f.severity).end_object();
      out.end_object();
    }
  out.end_array();
  out.end_object().end_array(); // run, runs
  out.end_object();
  return out.release();
}

} // namespace qs::scanner
