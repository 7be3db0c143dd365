// An asset's metric series (see asset_metrics.hpp), each scored by the default
// streaming detector as scans arrive, and how those scores join the rules'
// answer. Pure; one instance per asset, owned by one anomaly shard (not
// thread-safe).
//
// Product settings, for short irregular series (a scan a day or a week):
// - cold start: a series speaks from its `cold_start_points + 1`-th point; until
//   then the pattern and drift rules answer alone;
// - spacing: points are taken in scan (arrival) order whatever their
//   timestamps, which may repeat or step back; the gaps between scans do not
//   change a score (a detector compares values, not rates);
// - detector: the ensemble as the product has run it since step 6, set apart
//   from the NAB defaults in `asset_detector_params`: the mean of context
//   novelty and robust z (window 32, cap 7, surprise over 60 decades), no
//   distribution part (a few dozen scans fill no window worth comparing) and
//   no seasonal part (scans a day or more apart have no time of day);
// - cooldown: after a score >= 0.5 a series stays silent for its next 3 points;
// - an alert names its series, its point (timestamp, value) and its score.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "actors/anomaly/asset_metrics.hpp"
#include "actors/anomaly/streaming/ensemble.hpp"
#include "protocol/answers.hpp"

namespace qs::anomaly {

inline constexpr std::size_t cold_start_points = 8;
inline constexpr double alert_score = 0.5;

/// The ensemble's settings for asset series (smaller windows and tables than on NAB).
streaming::ensemble_params asset_detector_params();

/// One scan's score per series; nullopt where the scan gave the series no point
/// or the series is still in its cold start.
using scan_scores = std::array<std::optional<double>, metric_count>;

class asset_series {
public:
  asset_series();

  /// Feeds one scan's metrics (in scan order) and returns their scores.
  scan_scores update(const protocol::scan_result& result);

  /// Scans fed so far, and the timestamp of the last one.
  std::size_t scans() const { return scans_; }
  const std::string& last_timestamp() const { return last_timestamp_; }
  std::size_t memory_bytes() const;

private:
  std::vector<streaming::ensemble> detectors_; ///< one per metric, in metric order
  std::size_t scans_ = 0;
  std::string last_timestamp_;
};

/// Adds the series that alerted (score >= alert_score) to the rules' answer:
/// type "metric_anomaly", one detail line per alert naming the series and point,
/// the score raised to the highest alert, and confidence growing with the series'
/// length. An answer without alerts is returned unchanged.
protocol::anomaly with_series_alerts(protocol::anomaly rules, const protocol::scan_result& result,
                                     const scan_scores& scores, std::size_t scans);

} // namespace qs::anomaly
