// Anomaly likelihood: turns a stream of raw anomaly scores into how surprising
// the recent raw scores are against their own history. The mean of the last
// `short_points` raw scores is compared, as a Gaussian tail, with the
// exponentially weighted mean and variance of all raw scores before them
// (memory about `long_points`); the answer is -log10 of that tail over `decades`,
// clamped to [0, 1]. A series whose raw scores are always high (noisy) thus
// speaks less than a quiet one that suddenly is not. O(1) per score.
#pragma once

#include <array>
#include <cstddef>

#include "actors/anomaly/streaming/state_codec.hpp"

namespace qs::streaming {

struct surprise_params {
  std::size_t short_points = 1; ///< at most max_short
  double long_points = 2000;    ///< memory of the long-run mean and variance
  std::size_t warmup = 100;     ///< raw scores before any answer above 0
  double decades = 60;          ///< tail 10^-decades maps to 1
  double min_deviation = 0.02;  ///< floor of the long-run standard deviation
  static constexpr std::size_t max_short = 32;
};

class surprise {
public:
  explicit surprise(surprise_params params = {}) : params_(params) {}

  /// Scores `raw` (finite, >= 0) and learns it.
  double update(double raw);

  void save(state_writer& out) const;
  bool load(state_reader& in);

private:
  surprise_params params_;
  std::array<double, surprise_params::max_short> recent_{};
  std::size_t next_ = 0;
  std::size_t seen_ = 0;
  double recent_sum_ = 0;
  double mean_ = 0;
  double variance_ = 0;
};

} // namespace qs::streaming
