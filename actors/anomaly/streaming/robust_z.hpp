// Robust z detector: how far a point lies from the median of the last `window`
// points, in units of their interquartile range (a robust standard deviation),
// passed through `surprise` so the score is how unusual that distance is for
// this series. A scale floor (a share of the range seen so far) keeps a flat
// series from calling its own rounding noise an anomaly. O(log w) per point;
// memory 16 bytes per window slot plus a constant.
#pragma once

#include "actors/anomaly/streaming/detector.hpp"
#include "actors/anomaly/streaming/sorted_window.hpp"
#include "actors/anomaly/streaming/surprise.hpp"

namespace qs::streaming {

struct robust_z_params {
  std::size_t window = 128;
  std::size_t min_points = 8; ///< points before the distance is measured
  double floor_share = 0.01;  ///< scale floor as a share of (max - min) seen
  double cap = 7;             ///< distances beyond this many scales count as this
  surprise_params surprise;

  /// The settings of `robust-z` alone and in the default ensemble: a wider
  /// range of distances (cap 20) and surprise over 30 decades.
  static robust_z_params wide() {
    robust_z_params p;
    p.cap = 20;
    p.surprise.decades = 30;
    return p;
  }
};

/// The distance part alone, shared with the ensemble.
class robust_distance {
public:
  explicit robust_distance(const robust_z_params& params)
      : params_(params), window_(params.window) {}

  /// The point's capped robust distance in [0, cap]; learns the point.
  double update(double value);

  void save(state_writer& out) const;
  bool load(state_reader& in);
  std::size_t memory_bytes() const { return window_.memory_bytes() + sizeof *this; }

private:
  robust_z_params params_;
  sorted_window window_;
  double min_ = 0, max_ = 0;
  std::uint64_t seen_ = 0;
};

class robust_z final : public detector {
public:
  explicit robust_z(robust_z_params params = {})
      : params_(params), distance_(params), surprise_(params.surprise) {}

  double update(double time, double value) override;
  std::size_t points() const override { return points_; }
  std::string save() const override;
  bool load(std::string_view bytes) override;
  std::size_t memory_bytes() const override {
    return distance_.memory_bytes() + sizeof *this - sizeof distance_;
  }
  std::string_view name() const override { return "robust-z"; }

private:
  robust_z_params params_;
  robust_distance distance_;
  surprise surprise_;
  std::size_t points_ = 0;
};

} // namespace qs::streaming
