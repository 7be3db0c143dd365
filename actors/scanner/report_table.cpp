#include "actors/scanner/report_table.hpp"

#include "actors/scanner/finding_groups.hpp"

#include <algorithm>
#include <cstdio>

namespace qs::scanner {
namespace {

std::string join(const std::vector<std::string>& items, const char* sep = ", ") {
  std::string out;
  for (const auto& i : items)
    out += (out.empty() ? "" : sep) + i;
  return out.empty() ? "-" : out;
}

int severity_rank(const std::string& s) {
  return s == "critical" ? 0 : s == "high" ? 1 : s == "medium" ? 2 : s == "low" ? 3 : 4;
}

void row(std::string& out, const char* label, const std::string& value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "  %-14s ", label);
  out += buf + value + "\n";
}

std::string upper(std::string s) {
  for (auto& c : s)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

} // namespace

std::string results_table(const std::vector<target_result>& results) {
  std::string out;
  for (const auto& r : results) {
    char head[160];
    std::snprintf(head, sizeof head, "  (%s%lld ms)  quantum risk %.2f %s\n",
                  r.address.empty() ? "" : (r.address + ", ").c_str(), r.elapsed_ms,
                  r.quantum_risk_score, r.risk_level.c_str());
    out += r.target + head;
    if (!r.error.empty()) {
      row(out, "error", r.error);
      out += "\n";
      continue;
    }
    if (r.tls) {
      const auto& t = *r.tls;
      row(out, "protocols", join(t.protocols));
      for (const auto& [version, suites] : t.cipher_suites)
        row(out, version.c_str(),
            std::to_string(suites.size()) + " suites" +
                (t.server_cipher_order.count(version) && t.server_cipher_order.at(version)
                     ? ", server order: "
                     : ": ") +
                join(suites));
      std::string groups = join(t.groups);
      if (!t.group_preference.empty())
        groups += " (" + t.group_preference + " preference, " + t.preferred_group + " preferred)";
      row(out, "groups", groups);
      row(out, "signatures", join(t.signature_schemes));
      for (const auto& c : t.certificates) {
        std::string key =
            c.info.key.type + " " +
            (c.info.key.curve.empty() ? std::to_string(c.info.key.bits) : c.info.key.curve);
        row(out, c.position == 0 ? "certificate" : "  issuer",
            c.info.subject + "  " + key + "  " + c.info.signature_algorithm + "  until " +
                c.info.not_after + (c.info.self_signed ? "  self-signed" : "") +
                (c.position == 0 ? "  (chain " + std::to_string(c.chain) + ")" : ""));
      }
    }
    if (r.ssh) {
      const auto& s = *r.ssh;
      row(out, "banner", s.banner);
      row(out, "key exchange", join(s.kex));
      std::vector<std::string> keys;
      for (const auto& k : s.host_keys)
        keys.push_back(k.type + " " + std::to_string(k.bits) + " " + k.sha256);
      row(out, "host keys", join(keys, "; "));
      row(out, "ciphers", join(s.ciphers));
      row(out, "macs", join(s.macs));
    }
    if (r.file)
      for (const auto& item : r.file->items)
        row(out, item.kind.c_str(),
            (item.line ? "line " + std::to_string(item.line) + ": " : std::string()) +
                (item.key.type.empty() ? "?" : item.key.type) +
                (item.key.bits ? " " + std::to_string(item.key.bits) : "") +
                (item.key.curve.empty() ? "" : " " + item.key.curve) +
                (item.encrypted ? " (encrypted)" : "") +
                (item.certificate ? "  " + item.certificate->subject : ""));
    // One line per problem: findings grouped by rule and location, worst first.
    std::vector<finding> findings;
    for (auto& g : group_findings(r.findings))
      findings.push_back(std::move(g.summary));
    std::stable_sort(findings.begin(), findings.end(), [](const finding& a, const finding& b) {
      return severity_rank(a.severity) < severity_rank(b.severity);
    });
    out += "  findings\n";
    for (const auto& f : findings) {
      if (f.severity == "info")
        continue;
      char buf[64];
      std::snprintf(buf, sizeof buf, "    %-9s %-22s ", upper(f.severity).c_str(),
                    f.context.empty() ? "(several)" : f.context.c_str());
      out += buf + f.message + "\n";
    }
    const auto infos = std::count_if(findings.begin(), findings.end(),
                                     [](const finding& f) { return f.severity == "info"; });
    if (infos)
      out += "    (" + std::to_string(infos) + " informational findings in --format json)\n";
    out += "\n";
  }
  return out;
}

} // namespace qs::scanner
