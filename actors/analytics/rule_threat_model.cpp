#include "actors/analytics/rule_threat_model.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string_view>

#include "actors/analytics/algorithm.hpp"
#include "actors/analytics/finding_threats.hpp"
#include "actors/analytics/finding_traits.hpp"
#include "protocol/timestamp.hpp"

namespace qs::analytics {

namespace {

constexpr const char* rules_version = "rules-v0";

double logit(double p) {
  return std::log(p / (1 - p));
}
double sigmoid(double x) {
  return 1 / (1 + std::exp(-x));
}

bool vector_has(std::string_view vector, std::string_view metric) {
  // metrics are '/'-separated: "CVSS:3.1/AV:N/AC:L/..."
  std::size_t at = 0;
  while ((at = vector.find(metric, at)) != std::string_view::npos) {
    bool starts = at == 0 || vector[at - 1] == '/';
    std::size_t end = at + metric.size();
    bool ends = end == vector.size() || vector[end] == '/';
    if (starts && ends)
      return true;
    at = end;
  }
  return false;
}

double vector_shift(std::string_view v) {
  double shift = 0;
  shift += vector_has(v, "AV:N")   ? 0.4
           : vector_has(v, "AV:L") ? -0.4
           : vector_has(v, "AV:P") ? -1.0
                                   : 0;
  shift += vector_has(v, "AC:H") ? -0.4 : 0;
  shift += vector_has(v, "PR:N") ? 0.3 : vector_has(v, "PR:H") ? -0.4 : 0;
  shift += vector_has(v, "UI:N") ? 0.2 : vector_has(v, "UI:R") ? -0.3 : 0;
  return shift;
}

double weakness_shift(const protocol::vulnerability& v) {
  constexpr int top_cwes[] = {78, 77, 89, 94, 95, 502, 434, 917, 1336, 943};
  constexpr int listed_cwes[] = {20,  22,  23,  79,  119, 120, 125, 190, 269, 284, 285, 287, 288,
                                 290, 306, 352, 416, 415, 476, 611, 787, 798, 862, 863, 918};
  constexpr int top_swcs[] = {105, 106, 107, 112};
  constexpr int listed_swcs[] = {101, 104, 113, 114, 115, 116, 120, 128};
  auto in = [](const auto& table, int id) {
    return std::find(std::begin(table), std::end(table), id) != std::end(table);
  };
  double shift = 0;
  if (auto cwe = cwe_number(v))
    shift += in(top_cwes, *cwe) ? 0.8 : in(listed_cwes, *cwe) ? 0.4 : 0;
  if (auto swc = swc_number(v))
    shift += in(top_swcs, *swc) ? 0.8 : in(listed_swcs, *swc) ? 0.3 : 0;
  return shift;
}

double crypto_shift(const protocol::vulnerability& v, const algorithm_assessment* a) {
  if (a && a->recognised) {
    switch (a->status) {
    case quantum_status::classically_broken:
      return 1.0;
    case quantum_status::broken_by_shor:
      return 0.3;
    case quantum_status::weakened_by_grover:
      return 0;
    default:
      return -0.5;
    }
  }
  if (is_quantum_finding_type(v))
    return 0.3;
  return is_crypto_finding_type(v) ? 0.2 : 0;
}

double probability(const protocol::vulnerability& v, const algorithm_assessment* a) {
  constexpr double by_severity[] = {0.02, 0.05, 0.12, 0.3, 0.5};
  double p = by_severity[static_cast<int>(v.level)];
  if (v.cvss_score) {
    double s = std::clamp(*v.cvss_score, 0.0, 10.0) / 10;
    p = 0.4 * p + 0.6 * (0.02 + 0.68 * s * s * s);
  }
  double x = logit(std::clamp(p, 0.001, 0.99)) + vector_shift(v.cvss_vector) + weakness_shift(v) +
             crypto_shift(v, a);
  p = sigmoid(x);
  if (v.confidence)
    p *= 0.5 + 0.5 * std::clamp(*v.confidence, 0.0, 1.0);
  return std::clamp(p, 0.001, 0.99);
}

double evidence(const protocol::vulnerability& v, const algorithm_assessment* a) {
  double e = 0.3;
  e += v.cvss_score ? 0.2 : 0;
  e += v.cvss_vector.empty() ? 0 : 0.1;
  e += (a && a->recognised) || has_known_weakness(v) ? 0.2 : 0;
  e += v.confidence ? 0.2 * std::clamp(*v.confidence, 0.0, 1.0) : 0.1;
  return e;
}

class rule_threat_model final : public threat_model {
public:
  protocol::prediction predict(const protocol::scan_result& result) const override {
    protocol::prediction out;
    out.predicted_at = protocol::now_iso8601();
    out.model_version = rules_version;
    const auto& findings = result.vulnerabilities;
    if (findings.empty()) {
      out.threat_score = 0.01;
      out.confidence = 0.5;
      out.mitigation_steps = {"No findings reported; keep scanning regularly"};
      return out;
    }
    struct scored {
      double p;
      std::vector<std::string> steps;
    };
    std::vector<scored> ranked;
    double survive = 1, evidence_sum = 0;
    for (const auto& v : findings) {
      algorithm_ref a;
      if (!v.algorithm.empty())
        a = assess_algorithm_cached(v.algorithm);
      const algorithm_assessment* ap = a.get();
      double p = probability(v, ap);
      survive *= 1 - p;
      evidence_sum += evidence(v, ap);
      append_unique(out.threat_types, finding_threat_types(v, ap));
      ranked.push_back({p, finding_mitigations(v, ap)});
    }
    std::stable_sort(ranked.begin(), ranked.end(),
                     [](const scored& x, const scored& y) { return x.p > y.p; });
    for (const auto& r : ranked)
      append_unique(out.mitigation_steps, r.steps);
    out.threat_score = 1 - survive;
    double n = static_cast<double>(findings.size());
    out.confidence = std::min(0.95, 0.35 + 0.5 * evidence_sum / n + 0.02 * std::min(n, 5.0));
    out.threat_score = protocol::round_score(out.threat_score);
    out.confidence = protocol::round_score(out.confidence);
    return out;
  }

  model_info info() const override {
    return {"rule_threat_model",
            rules_version,
            std::nullopt,
            std::nullopt,
            "rule-based",
            "Per-finding exploit likelihood from severity, CVSS, CWE and crypto weakness; an "
            "asset's threat is the probability that any finding is exploited.",
            {}};
  }
};

} // namespace

std::unique_ptr<threat_model> make_rule_threat_model() {
  return std::make_unique<rule_threat_model>();
}

double finding_exploit_probability(const protocol::vulnerability& v) {
  if (v.algorithm.empty())
    return probability(v, nullptr);
  return probability(v, assess_algorithm_cached(v.algorithm).get());
}

} // namespace qs::analytics
