#include <algorithm>
#include <string>

#include <catch2/catch.hpp>

#include "actors/analytics/anomaly_rules.hpp"

using namespace qs;
using analytics::detect_anomalies;
using analytics::posture;
using analytics::summarize;

namespace {

protocol::scan_result asset(std::vector<std::string> algorithms, int extra_findings = 0) {
  protocol::scan_result r;
  r.asset_id = "api-gateway-01";
  for (auto& a : algorithms) {
    protocol::vulnerability v;
    v.type = "crypto";
    v.algorithm = a;
    r.vulnerabilities.push_back(v);
  }
  for (int i = 0; i < extra_findings; ++i) {
    protocol::vulnerability v;
    v.type = "misconfiguration";
    r.vulnerabilities.push_back(v);
  }
  return r;
}

bool has_type(const protocol::anomaly& a, const std::string& type) {
  return std::find(a.anomaly_types.begin(), a.anomaly_types.end(), type) != a.anomaly_types.end();
}

} // namespace

TEST_CASE("a clean modern asset is not an anomaly", "[anomaly]") {
  auto a = detect_anomalies(asset({"ML-KEM-768", "AES-256-GCM", "SHA-384"}), std::nullopt);
  CHECK_FALSE(a.is_anomaly);
  CHECK(a.anomaly_score == 0);
  CHECK(a.anomaly_types.empty());
  CHECK(a.details.empty());
  CHECK_FALSE(a.detected_at.empty());
}

TEST_CASE("deprecated algorithms are an anomaly of severity 0.9", "[anomaly]") {
  auto a = detect_anomalies(asset({"MD5", "AES-256-GCM"}), std::nullopt);
  CHECK(a.is_anomaly);
  CHECK(a.anomaly_score == Approx(0.9));
  CHECK(a.anomaly_types == std::vector<std::string>{"deprecated_usage"});
  REQUIRE(a.details.size() == 1);
  CHECK(a.details[0].find("MD5") != std::string::npos);
}

TEST_CASE("deprecated parts inside a cipher suite are found", "[anomaly]") {
  auto a = detect_anomalies(asset({"TLS_RSA_WITH_3DES_EDE_CBC_SHA"}), std::nullopt);
  CHECK(has_type(a, "deprecated_usage"));
  CHECK(a.details[0].find("3DES") != std::string::npos);
}

TEST_CASE("sha-256 with a dhe-like suffix is not mistaken for a deprecated algorithm",
          "[anomaly]") {
  auto a = detect_anomalies(asset({"SHA-256", "SHA-384"}), std::nullopt);
  CHECK_FALSE(has_type(a, "deprecated_usage"));
}

TEST_CASE("one quantum-vulnerable algorithm over 80% of entries is a concentration anomaly",
          "[anomaly]") {
  auto a = detect_anomalies(
      asset({"RSA-2048", "RSA-2048", "RSA2048", "rsa 2048", "RSA-2048", "AES-256-GCM"}),
      std::nullopt);
  CHECK(has_type(a, "algorithm_concentration"));
  CHECK(a.is_anomaly);
  CHECK(a.anomaly_score == Approx(0.7));
}

TEST_CASE("concentration needs at least five entries and more than 80%", "[anomaly]") {
  CHECK_FALSE(has_type(
      detect_anomalies(asset({"RSA-2048", "RSA-2048", "RSA-2048", "RSA-2048"}), std::nullopt),
      "algorithm_concentration"));
  CHECK_FALSE(has_type(detect_anomalies(asset({"RSA-2048", "RSA-2048", "RSA-2048", "RSA-2048",
                                               "AES-256", "AES-256"}),
                                        std::nullopt),
                       "algorithm_concentration"));
}

TEST_CASE("a safe algorithm dominating is reported but below the anomaly threshold", "[anomaly]") {
  auto a = detect_anomalies(
      asset({"AES-256-GCM", "AES-256-GCM", "AES-256-GCM", "AES-256-GCM", "AES-256-GCM"}),
      std::nullopt);
  CHECK(has_type(a, "algorithm_concentration"));
  CHECK_FALSE(a.is_anomaly);
}

TEST_CASE("more than three key sizes in one family are inconsistent", "[anomaly]") {
  auto a = detect_anomalies(asset({"RSA-1024", "RSA-2048", "RSA-3072", "RSA-4096"}), std::nullopt);
  CHECK(has_type(a, "inconsistent_key_sizes"));
  CHECK(has_type(a, "deprecated_usage"));
  CHECK(a.anomaly_score == Approx(0.95)); // 0.9 + 0.05 for the second rule
  auto three = detect_anomalies(asset({"RSA-2048", "RSA-3072", "RSA-4096"}), std::nullopt);
  CHECK_FALSE(has_type(three, "inconsistent_key_sizes"));
}

TEST_CASE("summarize records counts, levels, post-quantum names and key sizes", "[anomaly]") {
  auto p = summarize(asset({"RSA-4096", "RSA4096", "X25519MLKEM768", "AES-256-GCM", "SHA-384"}, 2));
  CHECK(p.algorithm_counts.at("RSA-4096") == 2);
  CHECK(p.worst_nist_level == 0);
  CHECK(p.has_post_quantum);
  CHECK(p.post_quantum == std::set<std::string>{"X25519MLKEM768"});
  CHECK(p.finding_count == 7);
  CHECK(p.key_sizes.at("RSA") == std::set<int>{4096});
  CHECK(p.key_sizes.at("AES") == std::set<int>{256});
  CHECK(p.key_sizes.count("SHA-2") == 0);
  CHECK(p.quantum_score > 0);
}

TEST_CASE("a key downgraded since the previous scan is flagged", "[anomaly]") {
  auto before = summarize(asset({"RSA-4096"}));
  auto a = detect_anomalies(asset({"RSA-2048"}), before);
  CHECK(has_type(a, "key_downgrade"));
  CHECK(a.is_anomaly);
  CHECK(std::any_of(a.details.begin(), a.details.end(), [](const std::string& d) {
    return d.find("4096") != std::string::npos && d.find("2048") != std::string::npos;
  }));
}

TEST_CASE("a weaker NIST level than the previous scan is flagged", "[anomaly]") {
  auto before = summarize(asset({"ML-KEM-768", "AES-256-GCM"}));
  auto a = detect_anomalies(asset({"X25519", "AES-256-GCM"}), before);
  CHECK(has_type(a, "algorithm_weakened"));
}

TEST_CASE("a post-quantum key exchange that disappears is flagged", "[anomaly]") {
  auto before = summarize(asset({"X25519MLKEM768", "AES-256-GCM"}));
  auto a = detect_anomalies(asset({"X25519", "AES-256-GCM"}), before);
  CHECK(has_type(a, "post_quantum_removed"));
  CHECK(a.anomaly_score >= 0.85);
}

TEST_CASE("a jump in the number of findings is flagged", "[anomaly]") {
  auto before = summarize(asset({}, 3));
  CHECK(has_type(detect_anomalies(asset({}, 12), before), "finding_count_spike"));
  CHECK_FALSE(has_type(detect_anomalies(asset({}, 6), before), "finding_count_spike"));
}

TEST_CASE("an unchanged posture shows no drift", "[anomaly]") {
  auto scan = asset({"RSA-3072", "X25519MLKEM768", "AES-256-GCM"});
  auto a = detect_anomalies(scan, summarize(scan));
  CHECK(a.anomaly_types.empty());
  CHECK_FALSE(a.is_anomaly);
  CHECK(a.confidence == Approx(0.95));
}

TEST_CASE("confidence drops when algorithms are not recognised", "[anomaly]") {
  auto known = detect_anomalies(asset({"RSA-2048"}), std::nullopt);
  auto unknown = detect_anomalies(asset({"FooCrypt"}), std::nullopt);
  CHECK(unknown.confidence < known.confidence);
}
