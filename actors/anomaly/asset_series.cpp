#include "actors/anomaly/asset_series.hpp"

#include <algorithm>
#include <cstdio>

namespace qs::anomaly {

// Set field by field, so a change of the NAB defaults leaves the product's series as they are.
streaming::ensemble_params asset_detector_params() {
  streaming::ensemble_params p;
  p.context.order2_log2_bits = 10;
  p.robust = streaming::robust_z_params{};
  p.robust.window = 32;
  p.robust.min_points = 4;
  p.robust.cap = 7;
  p.robust.surprise.warmup = 4;
  p.robust.surprise.long_points = 50;
  p.robust.surprise.decades = 60;
  p.seasonal.period = 0;     // scans a day or more apart have no time-of-day profile to learn
  p.distribution.window = 0; // a few dozen scans never fill a window worth comparing
  p.context_weight = 0.5;    // the mean of context and robust z
  p.robust_weight = 0.5;
  p.distribution_weight = 0;
  p.hold_points = 1; // each scan judged on its own
  p.cooldown_points = 3;
  p.cooldown_gate = alert_score;
  return p;
}

asset_series::asset_series() {
  detectors_.reserve(metric_count);
  for (std::size_t i = 0; i < metric_count; ++i)
    detectors_.emplace_back(asset_detector_params());
}

scan_scores asset_series::update(const protocol::scan_result& result) {
  scan_scores scores;
  auto values = metric_values(result);
  double time = scan_time(result);
  for (std::size_t i = 0; i < metric_count; ++i) {
    if (!values[i])
      continue;
    bool speaks = detectors_[i].points() >= cold_start_points;
    double score = detectors_[i].update(time, *values[i]);
    if (speaks)
      scores[i] = score;
  }
  ++scans_;
  last_timestamp_ = result.timestamp;
  return scores;
}

std::size_t asset_series::memory_bytes() const {
  std::size_t bytes = sizeof *this + last_timestamp_.capacity();
  for (const auto& d : detectors_)
    bytes += d.memory_bytes();
  return bytes;
}

protocol::anomaly with_series_alerts(protocol::anomaly rules, const protocol::scan_result& result,
                                     const scan_scores& scores, std::size_t scans) {
  auto values = metric_values(result);
  double highest = 0;
  for (std::size_t i = 0; i < metric_count; ++i) {
    if (!scores[i] || *scores[i] < alert_score)
      continue;
    highest = std::max(highest, *scores[i]);
    char line[256];
    std::snprintf(line, sizeof line, "series %s: %g at %s scored %.3f (%s detector)",
                  std::string(metric_names()[i]).c_str(), *values[i], result.timestamp.c_str(),
                  *scores[i], std::string(streaming::default_detector()).c_str());
    rules.details.emplace_back(line);
  }
  if (highest == 0)
    return rules;
  if (std::find(rules.anomaly_types.begin(), rules.anomaly_types.end(), "metric_anomaly") ==
      rules.anomaly_types.end())
    rules.anomaly_types.emplace_back("metric_anomaly");
  rules.anomaly_score = std::max(rules.anomaly_score, highest);
  rules.is_anomaly = rules.anomaly_score >= 0.5;
  double history = std::min(1.0, static_cast<double>(scans - cold_start_points) / 50.0);
  rules.confidence = std::max(rules.confidence, std::min(0.95, 0.6 + 0.35 * history));
  return rules;
}

} // namespace qs::anomaly
