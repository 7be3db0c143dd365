#include "actors/analytics/anomaly_rules.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <utility>
#include <vector>

#include "actors/analytics/algorithm.hpp"
#include "actors/analytics/quantum_risk.hpp"
#include "protocol/timestamp.hpp"

namespace qs::analytics {

namespace {

struct observation {
  posture summary;
  std::vector<algorithm_ref> algorithms; ///< recognised and not, in finding order
  int recognised = 0;
};

struct rule_hit {
  std::string type;
  double score;
  std::string detail;
};

std::string trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t\r\n");
  auto e = s.find_last_not_of(" \t\r\n");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

void collect_key_sizes(const algorithm_assessment& a, std::map<std::string, std::set<int>>& out) {
  bool hashing = a.kind == primitive::hash || a.kind == primitive::mac;
  if (a.key_bits && !hashing && a.components.empty())
    out[a.family].insert(*a.key_bits);
  for (const auto& c : a.components)
    collect_key_sizes(c, out);
}

void collect_broken(const algorithm_assessment& a, std::vector<std::string>& out) {
  if (!a.components.empty()) {
    for (const auto& c : a.components)
      collect_broken(c, out);
  } else if (a.status == quantum_status::classically_broken &&
             std::find(out.begin(), out.end(), a.name) == out.end()) {
    out.push_back(a.name);
  }
}

observation observe(const protocol::scan_result& result) {
  observation o;
  auto& p = o.summary;
  p.finding_count = static_cast<int>(result.vulnerabilities.size());
  p.quantum_score = quantum_risk_score(result);
  for (const auto& v : result.vulnerabilities) {
    if (v.algorithm.empty())
      continue;
    auto ref = assess_algorithm_cached(v.algorithm);
    const auto& a = *ref;
    ++p.algorithm_counts[a.recognised ? a.name : trim(v.algorithm)];
    if (a.recognised) {
      ++o.recognised;
      p.worst_nist_level = p.worst_nist_level < 0
                               ? a.nist_quantum_level
                               : std::min(p.worst_nist_level, a.nist_quantum_level);
      if (a.status == quantum_status::post_quantum || a.status == quantum_status::hybrid)
        p.post_quantum.insert(a.name);
      collect_key_sizes(a, p.key_sizes);
    }
    o.algorithms.push_back(std::move(ref));
  }
  p.has_post_quantum = !p.post_quantum.empty();
  return o;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items)
    out += (out.empty() ? "" : ", ") + i;
  return out;
}

std::string join_sizes(const std::set<int>& sizes) {
  std::vector<std::string> items;
  for (int s : sizes)
    items.push_back(std::to_string(s));
  return join(items);
}

void pattern_rules(const observation& o, std::vector<rule_hit>& hits) {
  std::vector<std::string> broken;
  for (const auto& a : o.algorithms)
    collect_broken(*a, broken);
  if (!broken.empty())
    hits.push_back({"deprecated_usage", 0.9,
                    "Deprecated or classically broken algorithms in use: " + join(broken)});

  int total = 0;
  const std::pair<const std::string, int>* top = nullptr;
  for (const auto& entry : o.summary.algorithm_counts) {
    total += entry.second;
    if (!top || entry.second > top->second)
      top = &entry;
  }
  if (top && total >= 5 && top->second * 5 > total * 4) {
    bool vulnerable = std::any_of(o.algorithms.begin(), o.algorithms.end(), [&](const auto& a) {
      return a->name == top->first && is_quantum_vulnerable(a->status);
    });
    char share[16];
    std::snprintf(share, sizeof share, "%.0f%%", 100.0 * top->second / total);
    hits.push_back({"algorithm_concentration", vulnerable ? 0.7 : 0.4,
                    top->first + " makes up " + share + " of " + std::to_string(total) +
                        " algorithm entries"});
  }

  for (const auto& [family, sizes] : o.summary.key_sizes)
    if (sizes.size() > 3)
      hits.push_back(
          {"inconsistent_key_sizes", 0.6,
           family + " uses " + std::to_string(sizes.size()) + " key sizes: " + join_sizes(sizes)});
}

void drift_rules(const posture& now, const posture& before, std::vector<rule_hit>& hits) {
  for (const auto& [family, sizes] : now.key_sizes) {
    auto it = before.key_sizes.find(family);
    if (it == before.key_sizes.end() || it->second.empty() || sizes.empty())
      continue;
    if (*sizes.begin() < *it->second.begin())
      hits.push_back({"key_downgrade", 0.8,
                      family + " key size down from " + std::to_string(*it->second.begin()) +
                          " to " + std::to_string(*sizes.begin()) +
                          " bits since the previous scan"});
  }
  if (before.worst_nist_level >= 0 && now.worst_nist_level >= 0 &&
      now.worst_nist_level < before.worst_nist_level)
    hits.push_back({"algorithm_weakened", 0.7,
                    "Weakest NIST quantum security level fell from " +
                        std::to_string(before.worst_nist_level) + " to " +
                        std::to_string(now.worst_nist_level)});
  std::vector<std::string> removed;
  for (const auto& name : before.post_quantum)
    if (!now.post_quantum.count(name))
      removed.push_back(name);
  if (!removed.empty())
    hits.push_back(
        {"post_quantum_removed", 0.85, "Post-quantum algorithms no longer seen: " + join(removed)});
  if (now.finding_count >= 2 * before.finding_count &&
      now.finding_count >= before.finding_count + 5)
    hits.push_back({"finding_count_spike", 0.6,
                    "Findings rose from " + std::to_string(before.finding_count) + " to " +
                        std::to_string(now.finding_count)});
}

} // namespace

posture summarize(const protocol::scan_result& result) {
  return observe(result).summary;
}

protocol::anomaly detect_anomalies(const protocol::scan_result& result,
                                   const std::optional<posture>& previous) {
  auto o = observe(result);
  std::vector<rule_hit> hits;
  pattern_rules(o, hits);
  if (previous)
    drift_rules(o.summary, *previous, hits);

  protocol::anomaly out;
  out.detected_at = protocol::now_iso8601();
  double top = 0;
  for (const auto& h : hits) {
    top = std::max(top, h.score);
    if (std::find(out.anomaly_types.begin(), out.anomaly_types.end(), h.type) ==
        out.anomaly_types.end())
      out.anomaly_types.push_back(h.type);
    out.details.push_back(h.detail);
  }
  out.anomaly_score =
      hits.empty() ? 0 : std::min(1.0, top + 0.05 * static_cast<double>(hits.size() - 1));
  out.is_anomaly = out.anomaly_score >= 0.5;
  auto entries = o.algorithms.size();
  out.confidence =
      entries == 0 ? 0.5
                   : 0.5 + 0.4 * static_cast<double>(o.recognised) / static_cast<double>(entries);
  if (previous)
    out.confidence = std::min(0.95, out.confidence + 0.05);
  out.anomaly_score = protocol::round_score(out.anomaly_score);
  out.confidence = protocol::round_score(out.confidence);
  return out;
}

} // namespace qs::analytics
