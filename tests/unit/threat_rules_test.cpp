#include <algorithm>
#include <string>

#include <catch2/catch.hpp>

#include "actors/analytics/rule_threat_model.hpp"

using namespace qs;
using analytics::finding_exploit_probability;
using analytics::make_rule_threat_model;

namespace {

protocol::vulnerability finding(std::string type, protocol::severity level, std::string algorithm,
                                std::string location = "") {
  protocol::vulnerability v;
  v.type = std::move(type);
  v.level = level;
  v.algorithm = std::move(algorithm);
  v.location = std::move(location);
  return v;
}

protocol::scan_result asset(std::vector<protocol::vulnerability> findings) {
  protocol::scan_result r;
  r.asset_id = "api-gateway-01";
  r.vulnerabilities = std::move(findings);
  return r;
}

bool contains(const std::vector<std::string>& items, const std::string& item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

} // namespace

TEST_CASE("an asset without findings gets a small threat score and a keep-scanning step",
          "[threat]") {
  auto p = make_rule_threat_model()->predict(asset({}));
  CHECK(p.threat_score >= 0.0);
  CHECK(p.threat_score <= 0.05);
  CHECK(p.threat_types.empty());
  CHECK(p.model_version == "rules-v0");
  CHECK_FALSE(p.predicted_at.empty());
  CHECK(p.predicted_at.back() != 'Z');
}

TEST_CASE("RSA-1024 key exchange is named with its location, replacement and reason", "[threat]") {
  auto p = make_rule_threat_model()->predict(
      asset({finding("weak_crypto", protocol::severity::high, "RSA-1024", "/api/auth")}));
  REQUIRE_FALSE(p.mitigation_steps.empty());
  CHECK(p.mitigation_steps.front() ==
        "Replace RSA-1024 key exchange at /api/auth with ML-KEM-768 (RSA-1024 is already "
        "classically broken)");
  CHECK(contains(p.threat_types, "weak_key_size"));
  CHECK(contains(p.threat_types, "quantum_vulnerable_key_exchange"));
  CHECK(p.threat_score > 0.3);
}

TEST_CASE("the asset threat is the probability that any finding is exploited", "[threat]") {
  auto a = finding("weak_crypto", protocol::severity::high, "RSA-1024");
  auto b = finding("injection", protocol::severity::critical, "");
  b.cwe_id = "CWE-89";
  double pa = finding_exploit_probability(a), pb = finding_exploit_probability(b);
  auto p = make_rule_threat_model()->predict(asset({a, b}));
  CHECK(p.threat_score == Approx(1 - (1 - pa) * (1 - pb)));
  CHECK(p.threat_types ==
        std::vector<std::string>{"weak_key_size", "quantum_vulnerable_key_exchange", "injection"});
}

TEST_CASE("a network-reachable, no-privilege, no-interaction CVSS vector raises the probability",
          "[threat]") {
  auto base = finding("vuln", protocol::severity::high, "");
  base.cvss_score = 7.5;
  auto remote = base;
  remote.cvss_vector = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";
  auto local = base;
  local.cvss_vector = "CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:U/C:H/I:H/A:H";
  CHECK(finding_exploit_probability(remote) > finding_exploit_probability(base));
  CHECK(finding_exploit_probability(base) > finding_exploit_probability(local));
}

TEST_CASE("commonly exploited CWEs raise the probability", "[threat]") {
  auto plain = finding("vuln", protocol::severity::medium, "");
  auto sqli = plain;
  sqli.cwe_id = "CWE-89";
  auto rce = plain;
  rce.cwe_id = "CWE-502";
  CHECK(finding_exploit_probability(sqli) > finding_exploit_probability(plain));
  CHECK(finding_exploit_probability(rce) > finding_exploit_probability(plain));
}

TEST_CASE("classically broken crypto raises the probability more than Shor-only crypto",
          "[threat]") {
  double broken = finding_exploit_probability(finding("crypto", protocol::severity::medium, "MD5"));
  double shor =
      finding_exploit_probability(finding("crypto", protocol::severity::medium, "RSA-3072"));
  double pq =
      finding_exploit_probability(finding("crypto", protocol::severity::medium, "ML-KEM-768"));
  CHECK(broken > shor);
  CHECK(shor > pq);
}

TEST_CASE("higher severity and CVSS give higher probabilities, all within 0..1", "[threat]") {
  double last = 0;
  for (auto s : {protocol::severity::info, protocol::severity::low, protocol::severity::medium,
                 protocol::severity::high, protocol::severity::critical}) {
    double p = finding_exploit_probability(finding("vuln", s, ""));
    CHECK(p > last);
    CHECK(p < 1.0);
    last = p;
  }
  auto critical = finding("vuln", protocol::severity::critical, "");
  critical.cvss_score = 10.0;
  critical.cvss_vector = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H";
  critical.cwe_id = "CWE-78";
  CHECK(finding_exploit_probability(critical) <= 0.99);
}

TEST_CASE("a finding's low confidence lowers its probability", "[threat]") {
  auto sure = finding("vuln", protocol::severity::high, "");
  sure.confidence = 1.0;
  auto unsure = sure;
  unsure.confidence = 0.2;
  CHECK(finding_exploit_probability(unsure) < finding_exploit_probability(sure));
}

TEST_CASE("Slither-style reentrancy findings map to reentrancy with a guard mitigation",
          "[threat]") {
  auto v = finding("", protocol::severity::high, "", "contracts/Vault.sol:42:5");
  v.swc_id = "SWC-107";
  v.title = "Reentrancy in Vault.withdraw()";
  auto p = make_rule_threat_model()->predict(asset({v}));
  CHECK(p.threat_types == std::vector<std::string>{"reentrancy"});
  REQUIRE(p.mitigation_steps.size() == 1);
  CHECK(p.mitigation_steps[0] == "Apply checks-effects-interactions or a reentrancy guard at "
                                 "contracts/Vault.sol:42:5 (SWC-107)");
}

TEST_CASE("threat types are specific to each algorithm's weakness and deduplicated", "[threat]") {
  auto p = make_rule_threat_model()->predict(
      asset({finding("crypto", protocol::severity::high, "TLS_RSA_WITH_3DES_EDE_CBC_SHA"),
             finding("crypto", protocol::severity::high, "sha1WithRSAEncryption"),
             finding("crypto", protocol::severity::medium, "ECDSA P-256"),
             finding("crypto", protocol::severity::medium, "X25519"),
             finding("crypto", protocol::severity::low, "AES-128-GCM")}));
  CHECK(p.threat_types == std::vector<std::string>{"quantum_vulnerable_key_exchange",
                                                   "classically_broken_cipher",
                                                   "quantum_vulnerable_signature",
                                                   "deprecated_hash", "grover_weakened_cipher"});
}

TEST_CASE("Shor-vulnerable keys get a dated mitigation", "[threat]") {
  auto p = make_rule_threat_model()->predict(
      asset({finding("crypto", protocol::severity::medium, "ECDSA P-256", "cert.pem")}));
  REQUIRE(p.mitigation_steps.size() == 1);
  CHECK(p.mitigation_steps[0] ==
        "Replace ECDSA-P256 signature at cert.pem with ML-DSA-65 (ECDSA-P256 is broken by Shor's "
        "algorithm; NIST IR 8547 disallows it after 2035)");
}

TEST_CASE("mitigations come most probable finding first", "[threat]") {
  auto low = finding("crypto", protocol::severity::low, "AES-128", "a");
  auto high = finding("crypto", protocol::severity::critical, "MD5", "b");
  auto p = make_rule_threat_model()->predict(asset({low, high}));
  REQUIRE(p.mitigation_steps.size() == 2);
  CHECK(p.mitigation_steps[0].rfind("Replace MD5 hash at b", 0) == 0);
}

TEST_CASE("confidence grows with evidence", "[threat]") {
  auto bare = finding("vuln", protocol::severity::medium, "");
  auto rich = bare;
  rich.cvss_score = 8.1;
  rich.cvss_vector = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N";
  rich.cwe_id = "CWE-89";
  rich.confidence = 0.9;
  auto model = make_rule_threat_model();
  double c_bare = model->predict(asset({bare})).confidence;
  double c_rich = model->predict(asset({rich})).confidence;
  CHECK(c_rich > c_bare);
  CHECK(c_rich <= 0.95);
}

TEST_CASE("an unrecognised algorithm asks to identify it", "[threat]") {
  auto p = make_rule_threat_model()->predict(
      asset({finding("crypto", protocol::severity::medium, "FooCrypt-9", "/x")}));
  REQUIRE_FALSE(p.mitigation_steps.empty());
  CHECK(p.mitigation_steps[0] ==
        "Identify the algorithm 'FooCrypt-9' at /x and confirm it is quantum-safe");
}

TEST_CASE("the rule model describes itself as rule-based rules-v0", "[threat]") {
  auto info = make_rule_threat_model()->info();
  CHECK(info.version == "rules-v0");
  CHECK(info.kind == "rule-based");
  CHECK_FALSE(info.accuracy.has_value());
}
