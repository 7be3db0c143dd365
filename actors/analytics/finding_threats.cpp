#include "actors/analytics/finding_threats.hpp"

#include <algorithm>
#include <initializer_list>

#include "actors/analytics/finding_traits.hpp"

namespace qs::analytics {

namespace {

struct weakness {
  int id;
  const char* threat;
};

// Commonly exploited CWEs (CWE Top 25, CISA KEV) -> threat type.
constexpr weakness cwe_threats[] = {
    {89, "injection"},
    {78, "injection"},
    {78, "remote_code_execution"},
    {77, "injection"},
    {77, "remote_code_execution"},
    {943, "injection"},
    {90, "injection"},
    {91, "injection"},
    {917, "injection"},
    {917, "remote_code_execution"},
    {1336, "injection"},
    {74, "injection"},
    {94, "remote_code_execution"},
    {95, "remote_code_execution"},
    {502, "remote_code_execution"},
    {434, "remote_code_execution"},
    {287, "authentication_bypass"},
    {306, "authentication_bypass"},
    {288, "authentication_bypass"},
    {290, "authentication_bypass"},
    {1390, "authentication_bypass"},
    {798, "hardcoded_credentials"},
    {259, "hardcoded_credentials"},
    {321, "hardcoded_credentials"},
    {862, "broken_access_control"},
    {863, "broken_access_control"},
    {284, "broken_access_control"},
    {285, "broken_access_control"},
    {269, "broken_access_control"},
    {639, "broken_access_control"},
    {22, "path_traversal"},
    {23, "path_traversal"},
    {35, "path_traversal"},
    {119, "memory_corruption"},
    {120, "memory_corruption"},
    {787, "memory_corruption"},
    {125, "memory_corruption"},
    {416, "memory_corruption"},
    {415, "memory_corruption"},
    {476, "memory_corruption"},
    {190, "memory_corruption"},
    {79, "cross_site_scripting"},
    {352, "cross_site_request_forgery"},
    {918, "server_side_request_forgery"},
    {611, "xml_external_entity"},
    {295, "improper_certificate_validation"},
    {297, "improper_certificate_validation"},
    {326, "weak_key_size"},
    {327, "weak_cryptography"},
    {328, "weak_cryptography"},
    {916, "weak_cryptography"},
    {330, "weak_randomness"},
    {338, "weak_randomness"},
    {200, "information_disclosure"},
    {532, "information_disclosure"},
    {400, "denial_of_service"},
    {770, "denial_of_service"},
    {20, "improper_input_validation"},
    {601, "open_redirect"},
    {319, "cleartext_transmission"},
    {311, "cleartext_transmission"},
};

// Smart-contract weaknesses (SWC registry) -> threat type.
constexpr weakness swc_threats[] = {
    {107, "reentrancy"},
    {101, "integer_overflow"},
    {104, "unchecked_call_return_value"},
    {105, "unprotected_ether_withdrawal"},
    {106, "unprotected_selfdestruct"},
    {112, "delegatecall_to_untrusted_callee"},
    {115, "tx_origin_authentication"},
    {114, "transaction_order_dependence"},
    {116, "timestamp_dependence"},
    {120, "weak_randomness"},
    {113, "denial_of_service"},
    {128, "denial_of_service"},
};

struct advice {
  const char* threat;
  const char* action;
};

constexpr advice advices[] = {
    {"injection", "Use parameterised queries or argument arrays and validate input"},
    {"remote_code_execution", "Block untrusted code execution, uploads and deserialisation"},
    {"authentication_bypass", "Enforce authentication on every path"},
    {"hardcoded_credentials", "Move hard-coded credentials into a secret store and rotate them"},
    {"broken_access_control", "Enforce authorisation checks"},
    {"path_traversal", "Canonicalise and confine file paths"},
    {"memory_corruption", "Fix the memory-safety bug (bounds and lifetimes)"},
    {"cross_site_scripting", "Encode output and set a Content-Security-Policy"},
    {"cross_site_request_forgery", "Require anti-CSRF tokens"},
    {"server_side_request_forgery", "Allow-list outbound request targets"},
    {"xml_external_entity", "Disable external entities in the XML parser"},
    {"improper_certificate_validation", "Validate certificates and host names"},
    {"weak_key_size", "Replace the short key with ML-KEM-768 or ML-DSA-65"},
    {"weak_cryptography",
     "Replace the weak cryptography with AES-256-GCM, SHA-384 and ML-KEM/ML-DSA"},
    {"weak_randomness", "Use a cryptographically secure random source"},
    {"information_disclosure", "Stop exposing sensitive data"},
    {"denial_of_service", "Bound resource use and gas per call"},
    {"improper_input_validation", "Validate input"},
    {"open_redirect", "Allow-list redirect targets"},
    {"cleartext_transmission", "Encrypt the channel with TLS 1.3"},
    {"reentrancy", "Apply checks-effects-interactions or a reentrancy guard"},
    {"integer_overflow", "Use checked arithmetic (Solidity >= 0.8 or SafeMath)"},
    {"unchecked_call_return_value", "Check the return value of external calls"},
    {"unprotected_ether_withdrawal", "Restrict withdrawals to authorised callers"},
    {"unprotected_selfdestruct", "Restrict or remove selfdestruct"},
    {"delegatecall_to_untrusted_callee", "Only delegatecall trusted, fixed contracts"},
    {"tx_origin_authentication", "Authenticate with msg.sender instead of tx.origin"},
    {"transaction_order_dependence", "Use commit-reveal or slippage limits against front-running"},
    {"timestamp_dependence", "Do not rely on block.timestamp for critical logic"},
    {"quantum_vulnerable_public_key",
     "Migrate the quantum-vulnerable public-key cryptography to ML-KEM-768 and ML-DSA-65"},
};

bool is_crypto_cwe(int id) {
  return id == 326 || id == 327 || id == 328 || id == 916;
}

bool is_public_key_family(const std::string& f) {
  return f == "RSA" || f == "DH" || f == "DSA" || f == "ECDH" || f == "ECDSA" || f == "EdDSA" ||
         f == "ElGamal";
}

void crypto_threats(const algorithm_assessment& a, std::vector<std::string>& out) {
  if (a.status == quantum_status::hybrid || a.status == quantum_status::post_quantum ||
      a.status == quantum_status::not_affected || !a.recognised)
    return;
  if (!a.components.empty()) {
    for (const auto& c : a.components)
      crypto_threats(c, out);
    return;
  }
  bool broken = a.status == quantum_status::classically_broken;
  if (is_public_key_family(a.family)) {
    if (broken)
      append_unique(out, {"weak_key_size"});
    append_unique(out, {a.kind == primitive::signature ? "quantum_vulnerable_signature"
                                                       : "quantum_vulnerable_key_exchange"});
  } else if (a.kind == primitive::block_cipher || a.kind == primitive::stream_cipher ||
             a.kind == primitive::aead) {
    if (broken)
      append_unique(out, {"classically_broken_cipher"});
    else if (a.status == quantum_status::weakened_by_grover)
      append_unique(out, {"grover_weakened_cipher"});
  } else if (broken && a.kind == primitive::hash) {
    append_unique(out, {"deprecated_hash"});
  } else if (broken && a.kind == primitive::mac) {
    append_unique(out, {"deprecated_mac"});
  }
}

template<std::size_t N>
void table_threats(const weakness (&table)[N], int id, std::vector<std::string>& out) {
  for (const auto& w : table)
    if (w.id == id)
      append_unique(out, {w.threat});
}

std::string at(const protocol::vulnerability& v) {
  return v.location.empty() ? "" : " at " + v.location;
}

std::string reference(const protocol::vulnerability& v) {
  if (!v.cve_id.empty())
    return " (" + v.cve_id + ")";
  if (!v.cwe_id.empty())
    return " (" + v.cwe_id + ")";
  if (!v.swc_id.empty())
    return " (" + v.swc_id + ")";
  return "";
}

std::string role_noun(primitive p) {
  switch (p) {
  case primitive::key_exchange:
  case primitive::public_key_encryption:
    return " key exchange";
  case primitive::signature:
    return " signature";
  case primitive::block_cipher:
  case primitive::stream_cipher:
  case primitive::aead:
    return " cipher";
  case primitive::hash:
    return " hash";
  case primitive::mac:
    return " MAC";
  case primitive::cipher_suite:
    return " cipher suite";
  case primitive::unknown:
    return "";
  }
  return "";
}

const algorithm_assessment* first_broken(const algorithm_assessment& a) {
  if (a.components.empty())
    return a.status == quantum_status::classically_broken ? &a : nullptr;
  for (const auto& c : a.components)
    if (auto* b = first_broken(c))
      return b;
  return nullptr;
}

std::string year_of(const std::string& date) {
  return date.substr(0, 4);
}

std::string reason(const algorithm_assessment& a) {
  switch (a.status) {
  case quantum_status::classically_broken: {
    const auto* b = first_broken(a);
    return (b ? b->name : a.name) + " is already classically broken";
  }
  case quantum_status::broken_by_shor:
    if (!a.deprecated_after.empty() && a.deprecated_after != "already")
      return a.name + " is broken by Shor's algorithm; NIST IR 8547 deprecates it after " +
             year_of(a.deprecated_after) + " and disallows it after " + year_of(a.disallowed_after);
    return a.name + " is broken by Shor's algorithm; NIST IR 8547 disallows it after " +
           year_of(a.disallowed_after.empty() ? "2035" : a.disallowed_after);
  case quantum_status::weakened_by_grover:
    return "Grover's algorithm halves its effective strength";
  default:
    return "";
  }
}

} // namespace

void append_unique(std::vector<std::string>& out, const std::vector<std::string>& items) {
  for (const auto& item : items)
    if (std::find(out.begin(), out.end(), item) == out.end())
      out.push_back(item);
}

bool has_known_weakness(const protocol::vulnerability& v) {
  std::vector<std::string> found;
  if (auto cwe = cwe_number(v))
    table_threats(cwe_threats, *cwe, found);
  if (auto swc = swc_number(v))
    table_threats(swc_threats, *swc, found);
  return !found.empty();
}

std::vector<std::string> finding_threat_types(const protocol::vulnerability& v,
                                              const algorithm_assessment* algorithm) {
  std::vector<std::string> out;
  bool recognised = algorithm && algorithm->recognised;
  if (recognised)
    crypto_threats(*algorithm, out);
  if (auto cwe = cwe_number(v); cwe && !(recognised && is_crypto_cwe(*cwe)))
    table_threats(cwe_threats, *cwe, out);
  if (auto swc = swc_number(v))
    table_threats(swc_threats, *swc, out);
  if (!out.empty() || recognised)
    return out;
  auto words = label_words(v.type.empty() ? v.title : v.type);
  auto has = [&](std::initializer_list<const char*> set) {
    return std::any_of(words.begin(), words.end(), [&](const std::string& w) {
      return std::any_of(set.begin(), set.end(), [&](const char* s) { return w == s; });
    });
  };
  if (is_quantum_finding_type(v))
    out.push_back("quantum_vulnerable_public_key");
  else if (is_crypto_finding_type(v))
    out.push_back("weak_cryptography");
  else if (has({"reentrancy", "reentrant"}))
    out.push_back("reentrancy");
  else if (has({"injection", "sqli", "sql"}))
    out.push_back("injection");
  else if (has({"overflow", "underflow"}))
    out.push_back("integer_overflow");
  else if (has({"rce"}))
    out.push_back("remote_code_execution");
  else if (!words.empty()) {
    std::string joined;
    for (const auto& w : words)
      joined += (joined.empty() ? "" : "_") + w;
    out.push_back(joined);
  }
  return out;
}

std::vector<std::string> finding_mitigations(const protocol::vulnerability& v,
                                             const algorithm_assessment* algorithm) {
  std::vector<std::string> out;
  if (algorithm && !algorithm->recognised) {
    out.push_back("Identify the algorithm '" + algorithm->input + "'" + at(v) +
                  " and confirm it is quantum-safe");
  } else if (algorithm && !algorithm->replacement.empty()) {
    const auto& a = *algorithm;
    if (a.status == quantum_status::classically_broken ||
        a.status == quantum_status::broken_by_shor ||
        a.status == quantum_status::weakened_by_grover)
      out.push_back("Replace " + a.name + role_noun(a.kind) + at(v) + " with " + a.replacement +
                    " (" + reason(a) + ")");
    else
      out.push_back("Migrate " + a.name + at(v) + " to " + a.replacement +
                    " (the standardised version)");
  }
  bool recognised = algorithm && algorithm->recognised;
  for (const auto& threat : finding_threat_types(v, algorithm)) {
    for (const auto& adv : advices) {
      if (threat != adv.threat)
        continue;
      bool crypto = threat == "weak_key_size" || threat == "weak_cryptography" ||
                    threat == "quantum_vulnerable_public_key";
      if (!(crypto && recognised))
        append_unique(out, {std::string(adv.action) + at(v) + reference(v)});
    }
  }
  if (out.empty() && (!v.title.empty() || !v.type.empty() || !v.cve_id.empty())) {
    std::string what = !v.title.empty() ? v.title : !v.type.empty() ? v.type : v.cve_id;
    out.push_back("Remediate '" + what + "'" + at(v) + reference(v));
  }
  return out;
}

} // namespace qs::analytics
