#include <string>

#include <catch2/catch.hpp>

#include "actors/analytics/risk.hpp"

using namespace qs;
using analytics::assess_risk;
using analytics::risk_level;

namespace {

protocol::prediction threat(double score) {
  protocol::prediction p;
  p.threat_score = score;
  return p;
}

protocol::anomaly anomaly(bool is) {
  protocol::anomaly a;
  a.is_anomaly = is;
  return a;
}

} // namespace

TEST_CASE("no scan results give an empty assessment with zero risk", "[risk]") {
  auto r = assess_risk({}, {}, {});
  CHECK(r.empty);
  CHECK(r.overall_risk == 0);
  CHECK(r.risk_factors.empty());
}

TEST_CASE("overall risk is 0.4 quantum + 0.4 threat + 0.2 anomaly rate", "[risk]") {
  auto r = assess_risk({0.5, 0.7}, {threat(0.2), threat(0.4)}, {anomaly(true), anomaly(false)});
  CHECK_FALSE(r.empty);
  CHECK(r.quantum_risk == Approx(0.6));
  CHECK(r.ai_threat_risk == Approx(0.3));
  CHECK(r.anomaly_rate == Approx(0.5));
  CHECK(r.overall_risk == Approx(0.4 * 0.6 + 0.4 * 0.3 + 0.2 * 0.5));
  CHECK(r.risk_level == "MEDIUM");
  CHECK(r.risk_factors == std::vector<std::string>{"Significant anomalous behavior detected"});
}

TEST_CASE("missing predictions and anomalies count as zero", "[risk]") {
  auto r = assess_risk({1.0}, {}, {});
  CHECK(r.ai_threat_risk == 0);
  CHECK(r.anomaly_rate == 0);
  CHECK(r.overall_risk == Approx(0.4));
  CHECK(r.risk_factors == std::vector<std::string>{"High quantum vulnerability detected"});
}

TEST_CASE("all three risk factors appear in the contract's order", "[risk]") {
  auto r = assess_risk({0.9}, {threat(0.95)}, {anomaly(true)});
  CHECK(r.risk_factors == std::vector<std::string>{"High quantum vulnerability detected",
                                                   "High AI-predicted threat probability",
                                                   "Significant anomalous behavior detected"});
  CHECK(r.overall_risk == Approx(0.4 * 0.9 + 0.4 * 0.95 + 0.2));
  CHECK(r.risk_level == "CRITICAL");
}

TEST_CASE("risk factor thresholds are strict", "[risk]") {
  auto r = assess_risk({0.7}, {threat(0.8)}, {anomaly(false), anomaly(false), anomaly(false)});
  CHECK(r.risk_factors.empty());
}

TEST_CASE("overall risk is capped at 1 with custom weights", "[risk]") {
  analytics::risk_weights heavy{1.0, 1.0, 1.0};
  auto r = assess_risk({1.0}, {threat(1.0)}, {anomaly(true)}, heavy);
  CHECK(r.overall_risk == 1.0);
}

TEST_CASE("risk levels follow the contract's thresholds", "[risk]") {
  CHECK(std::string(risk_level(0.8)) == "CRITICAL");
  CHECK(std::string(risk_level(0.79)) == "HIGH");
  CHECK(std::string(risk_level(0.6)) == "HIGH");
  CHECK(std::string(risk_level(0.4)) == "MEDIUM");
  CHECK(std::string(risk_level(0.2)) == "LOW");
  CHECK(std::string(risk_level(0.19)) == "MINIMAL");
  CHECK(std::string(risk_level(0.0)) == "MINIMAL");
}
