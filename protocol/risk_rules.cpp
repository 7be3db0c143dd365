#include "protocol/risk_rules.hpp"

#include <algorithm>
#include <cstring>
#include <iterator>

namespace qs::protocol {

namespace {

struct level {
  const char* name;
  double floor;
};
constexpr level levels[] = {
    {"CRITICAL", 0.8}, {"HIGH", 0.6}, {"MEDIUM", 0.4}, {"LOW", 0.2}, {"MINIMAL", 0.0}};

} // namespace

double combined_risk(double quantum, double threat, double anomaly_rate,
                     const risk_weights& weights) {
  return std::min(
      weights.quantum * quantum + weights.threat * threat + weights.anomaly * anomaly_rate, 1.0);
}

const char* risk_level(double overall) {
  for (const auto& l : levels)
    if (overall >= l.floor)
      return l.name;
  return levels[std::size(levels) - 1].name;
}

double risk_level_floor(const char* name) {
  for (const auto& l : levels)
    if (std::strcmp(l.name, name) == 0)
      return l.floor;
  return -1;
}

} // namespace qs::protocol
