#include "actors/anomaly/streaming/surprise.hpp"

#include <algorithm>
#include <cmath>

namespace qs::streaming {

double surprise::update(double raw) {
  std::size_t k = std::clamp<std::size_t>(params_.short_points, 1, surprise_params::max_short);
  recent_sum_ += raw - recent_[next_];
  recent_[next_] = raw;
  next_ = (next_ + 1) % k;
  ++seen_;
  double score = 0;
  if (seen_ > params_.warmup) {
    double recent_mean = recent_sum_ / static_cast<double>(std::min(seen_, k));
    double deviation = std::max(std::sqrt(variance_), params_.min_deviation);
    double z = (recent_mean - mean_) / deviation;
    double tail = 0.5 * std::erfc(z / std::sqrt(2.0));
    if (z > 0) // at or below the usual level is no surprise
      score = std::clamp(-std::log10(std::max(tail, 1e-300)) / params_.decades, 0.0, 1.0);
  }
  // Learn: the long-run statistics lag the short window by design.
  double alpha = seen_ <= params_.warmup ? 1.0 / static_cast<double>(seen_)
                                         : 1.0 / std::max(params_.long_points, 1.0);
  double delta = raw - mean_;
  mean_ += alpha * delta;
  variance_ = (1 - alpha) * (variance_ + alpha * delta * delta);
  return score;
}

void surprise::save(state_writer& out) const {
  for (double value : recent_)
    out.put(value);
  out.put(static_cast<std::uint64_t>(next_));
  out.put(static_cast<std::uint64_t>(seen_));
  out.put(recent_sum_);
  out.put(mean_);
  out.put(variance_);
}

bool surprise::load(state_reader& in) {
  surprise copy = *this;
  std::uint64_t next = 0, seen = 0;
  for (double& value : copy.recent_)
    if (!in.get(value) || !std::isfinite(value))
      return false;
  if (!in.get(next) || !in.get(seen) || !in.get(copy.recent_sum_) || !in.get(copy.mean_) ||
      !in.get(copy.variance_) || next >= surprise_params::max_short ||
      !std::isfinite(copy.recent_sum_) || !std::isfinite(copy.mean_) ||
      !std::isfinite(copy.variance_) || copy.variance_ < 0)
    return false;
  copy.next_ = next;
  copy.seen_ = seen;
  *this = copy;
  return true;
}

} // namespace qs::streaming
