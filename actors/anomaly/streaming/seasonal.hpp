// Seasonal residual detector: a point is compared with the value at the same
// phase one period earlier (a day by default: the same time yesterday), and
// the residual's robust distance (from the median of recent residuals, in
// interquartile ranges) is averaged over the last `recent` residuals, so a
// day whose shape changes inside the usual range (a missing daily peak, a
// flat afternoon) is seen although no single value is unusual. It speaks only
// on a series that is seasonal: once `min_residuals` residuals were learned
// and while the residuals' mean square is below (1 - strength_gate) of the
// series' variance. O(log window) per point; memory: two doubles per phase
// bucket plus the residual window.
//
// Time: a point is compared only when its phase bucket was last written between
// half a period and one and a half periods earlier by the point's own clock. A
// repeated timestamp, a clock that steps back (its bucket was just written, or
// "later"), or a gap of more than a period and a half: the point is learned
// (its bucket takes its value and time) but not compared, so after a step back
// of an hour the next hour is learned again and comparing resumes by itself.
#pragma once

#include <array>
#include <vector>

#include "actors/anomaly/streaming/detector.hpp"
#include "actors/anomaly/streaming/sorted_window.hpp"

namespace qs::streaming {

struct seasonal_params {
  double period = 86400;           ///< seconds; 0 turns the detector off (scores 0)
  std::size_t buckets = 144;       ///< phase buckets per period (10 minutes for a day)
  std::size_t window = 256;        ///< residuals the median and spread come from
  std::size_t recent = 12;         ///< residual distances averaged (at most max_recent)
  std::size_t min_residuals = 288; ///< residuals learned before the first score
  double strength_gate = 0.9;      ///< 1 - mean square residual / variance must exceed it
  double long_points = 2000;       ///< memory of the variance and mean square residual
  double cap = 7;                  ///< distances beyond this count as this
  double quiet_distance = 2;       ///< a mean distance up to this scores 0; cap scores 1
  double floor_share = 0.01;       ///< spread floor as a share of the series' deviation
  static constexpr std::size_t max_recent = 32;
};

class seasonal final : public detector {
public:
  explicit seasonal(seasonal_params params = {});

  double update(double time, double value) override;
  std::size_t points() const override { return static_cast<std::size_t>(points_); }
  std::string save() const override;
  bool load(std::string_view bytes) override;
  std::size_t memory_bytes() const override {
    return sizeof *this + 2 * last_value_.capacity() * sizeof(double) + residuals_.memory_bytes();
  }
  std::string_view name() const override { return "seasonal"; }

private:
  /// The share of the variance the period explains, from what was learned so far.
  double strength() const;
  void learn_value(double value);

  seasonal_params params_;
  std::uint64_t points_ = 0;
  std::uint64_t residuals_seen_ = 0;
  double mean_ = 0, variance_ = 0, mean_square_residual_ = 0;
  std::vector<double> last_value_, last_time_; ///< per phase bucket; time NaN = empty
  sorted_window residuals_;
  std::array<double, seasonal_params::max_recent> recent_{};
  std::size_t next_recent_ = 0, recent_count_ = 0;
};

} // namespace qs::streaming
