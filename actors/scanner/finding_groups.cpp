#include "actors/scanner/finding_groups.hpp"

#include <algorithm>
#include <map>

#include "actors/scanner/rules.hpp"

namespace qs::scanner {

namespace {

int severity_rank(const std::string& s) {
  return s == "critical" ? 4 : s == "high" ? 3 : s == "medium" ? 2 : s == "low" ? 1 : 0;
}

/// `field` of every instance when they all agree, else "".
template<class T> T shared(const std::vector<finding>& all, T finding::*field) {
  for (const auto& f : all)
    if (f.*field != all.front().*field)
      return T();
  return all.front().*field;
}

finding summarize(const std::vector<finding>& all) {
  finding s = all.front();
  if (all.size() == 1)
    return s;
  for (const auto& f : all)
    if (severity_rank(f.severity) > severity_rank(s.severity))
      s.severity = f.severity;
  s.algorithm = shared(all, &finding::algorithm);
  s.context = shared(all, &finding::context);
  s.quantum_status = shared(all, &finding::quantum_status);
  s.nist_category = shared(all, &finding::nist_category);
  s.replacement = shared(all, &finding::replacement);
  s.deadline = shared(all, &finding::deadline);
  // "<rule's title> (n): each instance's algorithm (or line), each once".
  std::vector<std::string> named;
  for (const auto& f : all) {
    auto name = !f.algorithm.empty() && s.algorithm.empty() ? f.algorithm
                : f.line                                    ? "line " + std::to_string(f.line)
                                                            : f.algorithm;
    if (!name.empty() && std::find(named.begin(), named.end(), name) == named.end())
      named.push_back(std::move(name));
  }
  const auto* rule = find_rule(s.rule);
  s.message = std::string(rule ? rule->title : s.rule) + " (" + std::to_string(all.size()) + ")";
  for (std::size_t i = 0; i < named.size(); ++i)
    s.message += (i ? ", " : ": ") + named[i];
  if (!s.replacement.empty())
    s.message += "; replace with " + s.replacement;
  return s;
}

} // namespace

std::vector<finding_group> group_findings(const std::vector<finding>& findings) {
  std::vector<finding_group> groups;
  std::map<std::pair<std::string, std::string>, std::size_t> index; // (rule, location)
  for (const auto& f : findings) {
    auto [it, fresh] = index.try_emplace({f.rule, f.location}, groups.size());
    if (fresh)
      groups.emplace_back();
    groups[it->second].instances.push_back(f);
  }
  for (auto& g : groups)
    g.summary = summarize(g.instances);
  return groups;
}

} // namespace qs::scanner
