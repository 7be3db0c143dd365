#include "actors/scanner/findings.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "actors/analytics/algorithm.hpp"
#include "actors/analytics/quantum_risk.hpp"
#include "actors/analytics/risk.hpp"
#include "actors/scanner/tls/registry.hpp"

namespace qs::scanner {
namespace {

using analytics::algorithm_assessment;
using analytics::quantum_status;

std::string deadline_of(const algorithm_assessment& a) {
  return !a.deprecated_after.empty() ? a.deprecated_after : a.disallowed_after;
}

finding make(std::string rule, std::string algorithm, std::string context, std::string severity,
             std::string message, const algorithm_assessment& a) {
  finding f;
  f.rule = std::move(rule);
  f.algorithm = std::move(algorithm);
  f.context = std::move(context);
  f.quantum_status = analytics::to_string(a.status);
  f.nist_category = a.nist_quantum_level;
  f.replacement = a.replacement;
  f.deadline = deadline_of(a);
  f.severity = std::move(severity);
  f.message = std::move(message);
  return f;
}

finding plain(std::string rule, std::string algorithm, std::string context, std::string severity,
              std::string message) {
  finding f;
  f.rule = std::move(rule);
  f.algorithm = std::move(algorithm);
  f.context = std::move(context);
  f.quantum_status = "not_affected";
  f.severity = std::move(severity);
  f.message = std::move(message);
  return f;
}

// Findings, at most one per (rule, algorithm, context, location and line).
class finding_set {
public:
  void add(finding f) {
    if (seen_
            .insert(f.rule + "|" + f.algorithm + "|" + f.context + "|" + f.location + "|" +
                    std::to_string(f.line))
            .second)
      all_.push_back(std::move(f));
  }
  std::vector<finding> take() { return std::move(all_); }

private:
  std::set<std::string> seen_;
  std::vector<finding> all_;
};

// A key-exchange algorithm (a TLS group, a DHE group, an SSH kex).
void key_exchange(finding_set& out, const std::string& name, const std::string& where) {
  const auto a = analytics::assess_algorithm(name);
  switch (a.status) {
  case quantum_status::hybrid:
  case quantum_status::post_quantum:
    out.add(make("QS-KEX-POST-QUANTUM", name, "key exchange", "info",
                 name + " is a post-quantum key exchange: traffic recorded now stays secret", a));
    break;
  case quantum_status::classically_broken:
    out.add(make("QS-KEX-WEAK", name, "key exchange", "critical",
                 name + " is breakable today" + where + "; replace it with " + a.replacement, a));
    break;
  case quantum_status::broken_by_shor:
    out.add(make("QS-KEX-QUANTUM-VULNERABLE", name, "key exchange", "high",
                 name +
                     " is broken by Shor's algorithm: traffic recorded now can be decrypted "
                     "later (harvest now, decrypt later)" +
                     where,
                 a));
    break;
  default:
    out.add(make("QS-KEX-UNRATED", name, "key exchange", "medium",
                 name + " is a key exchange the assessment does not know", a));
  }
}

// A public key that authenticates the server or a certificate.
std::string key_name(const public_key_info& k) {
  if (k.type == "RSA" || k.type == "RSA-PSS" || k.type == "DSA" || k.type == "DH")
    return k.type + "-" + std::to_string(k.bits);
  if (k.type == "EC")
    return "ECDSA " + k.curve;
  return k.type;
}

// A key that signs (a certificate's, a host key) is replaced by a post-quantum
// signature of its strength, whatever else the same key type could do: an RSA
// key's generic replacement is ML-KEM, for key transport.
algorithm_assessment as_signature(algorithm_assessment a) {
  if (a.replacement.rfind("ML-KEM", 0) == 0)
    a.replacement = a.classical_bits >= 192 ? "ML-DSA-87" : "ML-DSA-65";
  return a;
}

// `what` names who holds the key ("the server's certificate": "... has a RSA-2048
// key"), or, with `names_key`, the key itself ("the private key in this file":
// "... is RSA-2048").
void authentication(finding_set& out, const public_key_info& key, const std::string& what,
                    bool names_key = false) {
  const auto name = key_name(key);
  const auto a = as_signature(analytics::assess_algorithm(name));
  const std::string has = names_key ? what + " is " + name : what + " has a " + name + " key";
  if (a.status == quantum_status::post_quantum || a.status == quantum_status::hybrid)
    out.add(make("QS-AUTH-POST-QUANTUM", name, "authentication", "info",
                 names_key ? has + ", a post-quantum signature"
                           : what + " is signed with " + name + ", a post-quantum signature",
                 a));
  else if (a.status == quantum_status::classically_broken)
    out.add(
        make("QS-AUTH-WEAK-KEY", name, "authentication", "critical", has + ", breakable today", a));
  else if (a.status == quantum_status::broken_by_shor)
    out.add(make("QS-AUTH-QUANTUM-VULNERABLE", name, "authentication", "medium",
                 has + (names_key ? ", which Shor's algorithm breaks: a quantum attacker could "
                                    "forge its signatures (not a threat to past traffic)"
                                  : ", which Shor's algorithm breaks: a quantum attacker could "
                                    "impersonate it (not a threat to past traffic)"),
                 a));
  else
    out.add(make("QS-AUTH-UNRATED", name, "authentication", "medium",
                 (names_key ? what + " is a key" : what + " has a key") +
                     " the assessment does not know (" + name + ")",
                 a));
}

// A certificate a server sent (`served`: named by its place in the chains), or
// one read from a file (named by its subject).
void certificate_checks(finding_set& out, const served_certificate& c, const std::string& host,
                        long long now, bool served = true) {
  const auto& cert = c.info;
  const std::string subject = cert.subject.empty() ? "" : " (" + cert.subject + ")";
  const std::string where = served ? "certificate " + std::to_string(c.position) + " of chain " +
                                         std::to_string(c.chain) + subject
                                   : "the certificate in this file" + subject;
  const auto sig = analytics::assess_algorithm(cert.signature_algorithm);
  const bool self_signed_root = cert.self_signed && c.position > 0;
  if (!self_signed_root) { // a root's own signature is not checked by anyone
    if (sig.status == quantum_status::classically_broken)
      out.add(make(cert.signature_algorithm.find("SHA1") != std::string::npos ||
                           cert.signature_algorithm.find("sha1") != std::string::npos
                       ? "QS-CERT-SHA1-SIGNATURE"
                       : "QS-CERT-WEAK-SIGNATURE",
                   cert.signature_algorithm, "certificate signature", "high",
                   where + " is signed with " + cert.signature_algorithm +
                       ", which can be forged today",
                   sig));
    else if (sig.status == quantum_status::broken_by_shor)
      out.add(make("QS-CERT-SIGNATURE-QUANTUM-VULNERABLE", cert.signature_algorithm,
                   "certificate signature", "medium",
                   where + " is signed with " + cert.signature_algorithm +
                       ", which Shor's algorithm breaks",
                   sig));
    else if (sig.status == quantum_status::post_quantum)
      out.add(make(
          "QS-CERT-SIGNATURE-POST-QUANTUM", cert.signature_algorithm, "certificate signature",
          "info", where + " has a post-quantum signature (" + cert.signature_algorithm + ")", sig));
  }
  if (c.position != 0)
    return;
  authentication(out, cert.key, served ? "the server's certificate" : where);
  const double days = days_left(cert, now);
  if (days < 0)
    out.add(plain("QS-CERT-EXPIRED", "X.509", "certificate", "high",
                  where + " expired on " + cert.not_after));
  else if (days < 30)
    out.add(plain("QS-CERT-EXPIRING", "X.509", "certificate", "medium",
                  where + " expires on " + cert.not_after + ", in " +
                      std::to_string(static_cast<int>(days)) + " days"));
  if (cert.self_signed)
    out.add(plain("QS-CERT-SELF-SIGNED", "X.509", "certificate", "medium",
                  where + (served ? " is self-signed: clients cannot verify the server"
                                  : " is self-signed: no one who relies on it can verify it")));
  if (!host.empty() && !certificate_names(cert, host))
    out.add(plain("QS-CERT-NAME-MISMATCH", "X.509", "certificate", "medium",
                  where + " does not name " + host));
}

std::string dashed(std::string_view s) {
  std::string out(s);
  std::replace(out.begin(), out.end(), '_', '-');
  return out;
}

void suite_checks(finding_set& out, const tls::cipher_suite& s, const std::string& version) {
  const std::string name(s.name);
  const std::string in = " (" + name + " in " + version + ")";
  if (s.null_cipher)
    out.add(plain("QS-TLS-NULL-CIPHER", name, "bulk cipher", "critical",
                  "a suite without encryption is accepted" + in));
  if (s.anonymous)
    out.add(plain("QS-TLS-ANONYMOUS", name, "authentication", "critical",
                  "a suite without server authentication is accepted" + in));
  if (s.export_grade)
    out.add(plain("QS-TLS-EXPORT", name, "bulk cipher", "critical",
                  "an export-grade suite is accepted" + in));
  if (!s.tls13 && !s.forward_secret && !s.anonymous) {
    auto a = analytics::assess_algorithm(std::string(s.key_exchange) + "-2048");
    out.add(make("QS-TLS-NO-FORWARD-SECRECY", name, "key exchange", "high",
                 "static " + std::string(s.key_exchange) +
                     " key transport: no forward secrecy, and Shor's algorithm recovers every "
                     "session key from recorded traffic" +
                     in,
                 a));
  }
  if (!s.null_cipher) {
    const auto cipher = dashed(s.cipher);
    auto a = analytics::assess_algorithm(cipher == "SEED-CBC" ? "SEED" : cipher);
    if (!a.recognised && cipher.rfind("SEED", 0) == 0)
      out.add(plain("QS-CIPHER-LEGACY", "SEED-CBC", "bulk cipher", "low",
                    "SEED is a legacy 128-bit cipher" + in));
    else if (a.status == quantum_status::classically_broken)
      out.add(make("QS-CIPHER-BROKEN", a.name, "bulk cipher", "high",
                   a.name + " can be broken today" + in, a));
    else if (a.status == quantum_status::weakened_by_grover)
      out.add(make("QS-CIPHER-GROVER", a.name, "bulk cipher", "low",
                   a.name + "'s 128-bit key is weakened to 64 bits by Grover's algorithm", a));
    else if (a.recognised)
      out.add(make("QS-CIPHER-OK", a.name, "bulk cipher", "info",
                   a.name + " resists a quantum computer", a));
  }
  if (!s.mac.empty()) {
    const auto mac = "HMAC-" + std::string(s.mac == "SHA" ? "SHA1" : s.mac);
    auto a = analytics::assess_algorithm(mac);
    out.add(make(a.status == quantum_status::classically_broken ? "QS-MAC-BROKEN" : "QS-MAC",
                 a.name, "MAC/hash",
                 a.status == quantum_status::classically_broken ? "medium" : "info",
                 a.name + " authenticates records" + in, a));
  }
}

} // namespace

std::vector<finding> tls_findings(const tls_inventory& tls, const std::string& host,
                                  long long now_utc) {
  finding_set out;
  for (const auto& p : tls.protocols) {
    if (p == "SSLv3")
      out.add(plain("QS-TLS-OLD-PROTOCOL", p, "protocol", "critical",
                    "SSLv3 is accepted: broken (POODLE), disable it"));
    else if (p == "TLSv1.0" || p == "TLSv1.1")
      out.add(plain("QS-TLS-OLD-PROTOCOL", p, "protocol", "high",
                    p + " is accepted: deprecated by RFC 8996, disable it"));
  }
  bool post_quantum = false;
  for (const auto& g : tls.groups) {
    key_exchange(out, g, "");
    const auto a = analytics::assess_algorithm(g);
    post_quantum = post_quantum || a.status == quantum_status::hybrid ||
                   a.status == quantum_status::post_quantum;
  }
  if (!tls.protocols.empty() && !post_quantum) {
    auto a = analytics::assess_algorithm("X25519");
    auto f = make("QS-KEX-NO-POST-QUANTUM", "TLS", "key exchange", "high",
                  "no post-quantum key exchange is accepted: offer X25519MLKEM768 (TLS 1.3)", a);
    f.replacement = "X25519MLKEM768";
    out.add(std::move(f));
  }
  for (const auto& [version, suites] : tls.cipher_suites)
    for (const auto& name : suites)
      for (const auto& s : tls::cipher_suites())
        if (s.name == name)
          suite_checks(out, s, version);
  for (const auto& c : tls.certificates)
    certificate_checks(out, c, host, now_utc);
  return out.take();
}

std::vector<finding> ssh_findings(const ssh_inventory& ssh) {
  finding_set out;
  bool post_quantum = false;
  for (const auto& k : ssh.kex) {
    if (k.rfind("ext-info", 0) == 0 || k.rfind("kex-strict", 0) == 0)
      continue; // signalling names, not algorithms
    key_exchange(out, k, "");
    const auto a = analytics::assess_algorithm(k);
    post_quantum = post_quantum || a.status == quantum_status::hybrid ||
                   a.status == quantum_status::post_quantum;
  }
  if (!ssh.kex.empty() && !post_quantum) {
    auto a = analytics::assess_algorithm("curve25519-sha256");
    auto f = make("QS-KEX-NO-POST-QUANTUM", "SSH", "key exchange", "high",
                  "no post-quantum key exchange is offered: enable mlkem768x25519-sha256 or "
                  "sntrup761x25519-sha512",
                  a);
    f.replacement = "mlkem768x25519-sha256";
    out.add(std::move(f));
  }
  for (const auto& key : ssh.host_keys) {
    public_key_info info;
    info.bits = key.bits;
    if (key.type == "ssh-rsa")
      info.type = "RSA";
    else if (key.type == "ssh-dss")
      info.type = "DSA";
    else if (key.type.rfind("ecdsa-sha2-nistp", 0) == 0)
      info.type = "EC", info.curve = "P-" + key.type.substr(16);
    else if (key.type == "ssh-ed25519")
      info.type = "Ed25519";
    else if (key.type == "ssh-ed448")
      info.type = "Ed448";
    else
      info.type = key.type;
    authentication(out, info, "the server's host key");
  }
  for (const auto& alg : ssh.host_key_algorithms)
    if (alg == "ssh-rsa" || alg == "ssh-dss") {
      const auto a = analytics::assess_algorithm(alg);
      out.add(make("QS-SSH-SHA1-SIGNATURE", alg, "authentication", "medium",
                   alg + " host key signatures (SHA-1) are offered: disable them", a));
    }
  for (const auto& c : ssh.ciphers) {
    const auto a = analytics::assess_algorithm(c);
    const std::string sev = a.status == quantum_status::classically_broken   ? "high"
                            : a.status == quantum_status::weakened_by_grover ? "low"
                                                                             : "info";
    out.add(make(a.status == quantum_status::classically_broken   ? "QS-CIPHER-BROKEN"
                 : a.status == quantum_status::weakened_by_grover ? "QS-CIPHER-GROVER"
                                                                  : "QS-CIPHER-OK",
                 c, "bulk cipher", sev, "cipher " + c + " is offered", a));
  }
  for (const auto& m : ssh.macs) {
    const auto a = analytics::assess_algorithm(m);
    out.add(make(a.status == quantum_status::classically_broken ? "QS-MAC-BROKEN" : "QS-MAC", m,
                 "MAC/hash", a.status == quantum_status::classically_broken ? "medium" : "info",
                 "MAC " + m + " is offered", a));
  }
  return out.take();
}

// How a file's item is named in its findings: "the private key in this file".
std::string file_item_name(const file_item& item) {
  static const std::map<std::string, std::string> names = {
      {"private-key", "the private key"},
      {"openssh-private-key", "the OpenSSH private key"},
      {"pkcs12-private-key", "the private key of the PKCS#12 bundle"},
      {"pkcs12", "the PKCS#12 bundle"},
      {"public-key", "the public key"},
      {"openssh-public-key", "the OpenSSH public key"},
      {"authorized-key", "the authorized key"},
      {"known-host", "the known host's key"},
      {"certificate-request", "the certificate request's key"}};
  const auto it = names.find(item.kind);
  return (it != names.end() ? it->second : "the " + item.kind) + " in this file";
}

bool private_key(const file_item& item) {
  return item.kind == "private-key" || item.kind == "openssh-private-key" ||
         item.kind == "pkcs12-private-key";
}

std::vector<finding> file_findings(const file_inventory& file, long long now_utc) {
  finding_set out;
  for (const auto& item : file.items) {
    finding_set one;
    const auto name = file_item_name(item);
    if (item.certificate) {
      served_certificate c{*item.certificate, 0, 0};
      certificate_checks(one, c, "", now_utc, false);
    } else if (!item.key.type.empty()) {
      authentication(one, item.key, name, true);
    }
    if (item.encrypted && item.key.type.empty())
      one.add(plain("QS-FILE-ENCRYPTED-KEY", item.kind, "key", "info",
                    name + " is encrypted: its algorithm cannot be read without the passphrase"));
    // A PKCS#12 bundle that opens without a password counts as unencrypted.
    if (private_key(item) && !item.encrypted)
      one.add(plain("QS-FILE-UNENCRYPTED-KEY",
                    item.key.type.empty() ? item.kind : key_name(item.key), "key", "medium",
                    name + " is stored without a passphrase: whoever can read the file holds "
                           "the key"));
    for (auto& f : one.take()) {
      f.location = file.path;
      f.line = item.line;
      out.add(std::move(f));
    }
  }
  return out.take();
}

protocol::scan_result as_scan_result(const target_result& r) {
  protocol::scan_result s;
  s.asset_id = r.target;
  s.asset_type = r.kind == target_kind::tls   ? "tls_endpoint"
                 : r.kind == target_kind::ssh ? "ssh_server"
                                              : "key_material";
  for (const auto& f : r.findings) {
    if (f.severity == "info")
      continue;
    protocol::vulnerability v;
    v.type = f.quantum_status == "broken_by_shor" || f.quantum_status == "weakened_by_grover"
                 ? "quantum_vulnerable"
                 : "weak_crypto";
    v.level = protocol::parse_severity(f.severity).value_or(protocol::severity::medium);
    v.algorithm = f.algorithm == "X.509" || f.algorithm == "TLS" || f.algorithm == "SSH"
                      ? std::string()
                      : f.algorithm;
    v.location = f.location + (f.line ? ":" + std::to_string(f.line) : "");
    v.title = f.message;
    s.vulnerabilities.push_back(std::move(v));
  }
  return s;
}

void rate(target_result& r, long long now_utc) {
  if (r.tls)
    r.findings = tls_findings(*r.tls, r.host, now_utc);
  else if (r.ssh)
    r.findings = ssh_findings(*r.ssh);
  else if (r.file)
    r.findings = file_findings(*r.file, now_utc);
  for (auto& f : r.findings)
    if (f.location.empty())
      f.location = r.target;
  r.quantum_risk_score = analytics::quantum_risk_score(as_scan_result(r));
  r.risk_level = analytics::risk_level(r.quantum_risk_score);
}

} // namespace qs::scanner
