#include "actors/scanner/asset_scan.hpp"

#include <algorithm>

#include "protocol/scan_result_codec.hpp"

namespace qs::scanner {

namespace {

const char* entry_type(const finding& f) {
  if (f.quantum_status == "post_quantum" || f.quantum_status == "hybrid")
    return "quantum_safe";
  if (f.quantum_status == "broken_by_shor" || f.quantum_status == "weakened_by_grover")
    return "quantum_vulnerable";
  return "weak_crypto";
}

bool names_an_algorithm(const finding& f) {
  return !f.algorithm.empty() && f.algorithm != "X.509" && f.algorithm != "TLS" &&
         f.algorithm != "SSH";
}

// The earliest expiry of a leaf certificate the target presented, "" if none.
std::string earliest_not_after(const target_result& r) {
  std::string earliest;
  auto consider = [&](const certificate_info& cert) {
    if (!cert.not_after.empty() && (earliest.empty() || cert.not_after < earliest))
      earliest = cert.not_after;
  };
  if (r.tls)
    for (const auto& served : r.tls->certificates)
      if (served.position == 0)
        consider(served.info);
  if (r.file)
    for (const auto& item : r.file->items)
      if (item.certificate)
        consider(*item.certificate);
  return earliest;
}

// The leaf certificates the target presented (each once), for what changed between
// scans: their fingerprints, subjects, expiry and keys.
boost::json::array leaf_certificates(const target_result& r) {
  boost::json::array out;
  std::vector<std::string> seen;
  auto add = [&](const certificate_info& cert) {
    if (cert.sha256.empty() || std::find(seen.begin(), seen.end(), cert.sha256) != seen.end())
      return;
    seen.push_back(cert.sha256);
    std::string key = cert.key.type;
    if (!cert.key.curve.empty())
      key += "-" + cert.key.curve;
    else if (cert.key.bits)
      key += "-" + std::to_string(cert.key.bits);
    out.push_back(boost::json::object{{"sha256", cert.sha256},
                                      {"subject", cert.subject},
                                      {"not_after", cert.not_after},
                                      {"key", key}});
  };
  if (r.tls)
    for (const auto& served : r.tls->certificates)
      if (served.position == 0)
        add(served.info);
  if (r.file)
    for (const auto& item : r.file->items)
      if (item.certificate)
        add(*item.certificate);
  return out;
}

} // namespace

protocol::scan_result asset_scan(const target_result& r, const std::string& timestamp,
                                 const std::string& job_id) {
  namespace json = boost::json;
  json::array entries;
  for (const auto& f : r.findings) {
    const bool safe = std::string(entry_type(f)) == "quantum_safe";
    if (f.severity == "info" && !safe)
      continue; // facts without an algorithm at stake
    json::object e;
    e["type"] = entry_type(f);
    e["severity"] = f.severity;
    if (names_an_algorithm(f))
      e["algorithm"] = f.algorithm;
    e["location"] = f.location + (f.line ? ":" + std::to_string(f.line) : "");
    e["title"] = f.message;
    e["rule"] = f.rule;
    e["context"] = f.context;
    entries.push_back(std::move(e));
  }
  json::object metadata{{"source", "qscan scanner"},
                        {"scan_job", job_id},
                        {"kind", to_string(r.kind)},
                        {"risk_level", r.risk_level}};
  if (!r.address.empty())
    metadata["address"] = r.address;
  if (auto not_after = earliest_not_after(r); !not_after.empty())
    metadata["certificate_not_after"] = not_after;
  if (auto certificates = leaf_certificates(r); !certificates.empty())
    metadata["certificates"] = std::move(certificates);
  json::object doc{{"asset_id", r.target},
                   {"asset_type", r.kind == target_kind::tls   ? "tls_endpoint"
                                  : r.kind == target_kind::ssh ? "ssh_server"
                                                               : "key_material"},
                   {"timestamp", timestamp},
                   {"quantum_risk_score", r.quantum_risk_score},
                   {"vulnerabilities", std::move(entries)},
                   {"metadata", std::move(metadata)}};
  protocol::problems problems;
  std::vector<std::string> warnings;
  protocol::batch_limits limits;
  return protocol::decode_scan_result(json::value(std::move(doc)), "", limits, problems, warnings);
}

} // namespace qs::scanner
