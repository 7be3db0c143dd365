#include <string>

#include <catch2/catch.hpp>

#include "actors/analytics/quantum_risk.hpp"

using namespace qs;
using analytics::assess_quantum;
using analytics::quantum_risk_score;

namespace {

protocol::vulnerability finding(std::string type, protocol::severity level, std::string algorithm) {
  protocol::vulnerability v;
  v.type = std::move(type);
  v.level = level;
  v.algorithm = std::move(algorithm);
  return v;
}

protocol::scan_result asset(std::vector<protocol::vulnerability> findings) {
  protocol::scan_result r;
  r.asset_id = "api-gateway-01";
  r.vulnerabilities = std::move(findings);
  return r;
}

} // namespace

TEST_CASE("an asset without findings has no quantum risk", "[quantum]") {
  auto s = assess_quantum(asset({}));
  CHECK(s.score == 0);
  CHECK(s.total_with_algorithm == 0);
  CHECK(s.algorithms.empty());
}

TEST_CASE("a single classically broken key scores the maximum", "[quantum]") {
  auto s = assess_quantum(asset({finding("weak_crypto", protocol::severity::high, "RSA-1024")}));
  CHECK(s.score == Approx(1.0));
  CHECK(s.vulnerable_count == 1);
  CHECK(s.total_with_algorithm == 1);
  REQUIRE(s.algorithms.size() == 1);
  CHECK(s.algorithms[0]->name == "RSA-1024");
}

TEST_CASE("the score combines the worst algorithm with the share of vulnerable entries",
          "[quantum]") {
  std::vector<protocol::vulnerability> findings;
  findings.push_back(finding("crypto", protocol::severity::medium, "RSA-2048"));
  for (int i = 0; i < 4; ++i)
    findings.push_back(finding("crypto", protocol::severity::info, "AES-256-GCM"));
  auto s = assess_quantum(asset(findings));
  CHECK(s.vulnerable_count == 1);
  CHECK(s.total_with_algorithm == 5);
  CHECK(s.score == Approx(0.6 * 0.9 + 0.4 * 0.2));
}

TEST_CASE("post-quantum algorithms alone carry almost no quantum risk", "[quantum]") {
  auto s = assess_quantum(asset({finding("crypto", protocol::severity::info, "ML-KEM-768"),
                                 finding("crypto", protocol::severity::info, "ML-DSA-65"),
                                 finding("crypto", protocol::severity::info, "X25519MLKEM768")}));
  CHECK(s.vulnerable_count == 0);
  CHECK(s.score < 0.1);
}

TEST_CASE("findings without an algorithm are judged by their type and severity", "[quantum]") {
  auto quantum =
      assess_quantum(asset({finding("quantum_vulnerable", protocol::severity::critical, "")}));
  CHECK(quantum.vulnerable_count == 1);
  CHECK(quantum.score == Approx(0.6 * 0.95 + 0.4));
  auto weak_low = assess_quantum(asset({finding("weak_crypto", protocol::severity::low, "")}));
  CHECK(weak_low.vulnerable_count == 0);
  CHECK(weak_low.score == Approx(0.6 * 0.35));
  CHECK(weak_low.algorithms.empty());
}

TEST_CASE("findings that are not about cryptography do not count", "[quantum]") {
  auto s = assess_quantum(asset({finding("reentrancy", protocol::severity::critical, ""),
                                 finding("", protocol::severity::high, "")}));
  CHECK(s.total_with_algorithm == 0);
  CHECK(s.score == 0);
}

TEST_CASE("more vulnerable entries raise the score", "[quantum]") {
  auto one = quantum_risk_score(asset({finding("crypto", protocol::severity::high, "RSA-2048"),
                                       finding("crypto", protocol::severity::low, "AES-256"),
                                       finding("crypto", protocol::severity::low, "AES-256")}));
  auto three = quantum_risk_score(asset({finding("crypto", protocol::severity::high, "RSA-2048"),
                                         finding("crypto", protocol::severity::low, "ECDSA P-256"),
                                         finding("crypto", protocol::severity::low, "X25519")}));
  CHECK(three > one);
  CHECK(three <= 1.0);
}

TEST_CASE("quantum_risk_score ignores a score already given in the scan result", "[quantum]") {
  auto r = asset({});
  r.quantum_risk_score = 0.7;
  CHECK(quantum_risk_score(r) == 0);
}
