#include "actors/anomaly/streaming/seasonal.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace qs::streaming {

namespace {
constexpr std::uint32_t seasonal_version = 1;
constexpr double nan = std::numeric_limits<double>::quiet_NaN();

bool on(const seasonal_params& p) {
  return p.period > 0;
}
} // namespace

// Off, it holds one bucket and one residual slot, so it costs next to nothing.
seasonal::seasonal(seasonal_params params)
    : params_(params), last_value_(on(params) ? std::max<std::size_t>(params.buckets, 1) : 1, 0.0),
      last_time_(last_value_.size(), nan),
      residuals_(on(params) ? std::max<std::size_t>(params.window, 1) : 1) {
  params_.recent = std::clamp<std::size_t>(params_.recent, 1, seasonal_params::max_recent);
}

double seasonal::strength() const {
  return variance_ > 0 ? 1 - mean_square_residual_ / variance_ : 0;
}

void seasonal::learn_value(double value) {
  ++points_;
  double alpha = 1.0 / std::min(static_cast<double>(points_), std::max(params_.long_points, 1.0));
  double delta = value - mean_;
  double mean = mean_ + alpha * delta;
  double variance = (1 - alpha) * (variance_ + alpha * delta * delta);
  if (std::isfinite(mean) && std::isfinite(variance)) { // values near the largest double
    mean_ = mean;
    variance_ = variance;
  }
}

double seasonal::update(double time, double value) {
  if (!on(params_) || !std::isfinite(time)) {
    learn_value(value);
    return 0;
  }
  double phase = std::fmod(time, params_.period);
  if (phase < 0)
    phase += params_.period;
  auto bucket = std::min(
      last_value_.size() - 1,
      static_cast<std::size_t>(phase / params_.period * static_cast<double>(last_value_.size())));
  double score = 0;
  double since = time - last_time_[bucket]; // NaN when the bucket is empty
  if (since > 0.5 * params_.period && since < 1.5 * params_.period) {
    double residual = std::clamp(value - last_value_[bucket], -std::numeric_limits<double>::max(),
                                 std::numeric_limits<double>::max());
    double distance = 0;
    if (residuals_.size() >= 32) {
      double spread = (residuals_.quantile(0.75) - residuals_.quantile(0.25)) / 1.349;
      double floor = std::max(params_.floor_share * std::sqrt(variance_), 1e-9);
      distance = std::abs(residual - residuals_.median()) / std::max(spread, floor);
      distance = std::isnan(distance) ? params_.cap : std::min(distance, params_.cap);
    }
    recent_[next_recent_] = distance;
    next_recent_ = (next_recent_ + 1) % params_.recent;
    recent_count_ = std::min(recent_count_ + 1, params_.recent);
    if (residuals_seen_ >= params_.min_residuals && strength() > params_.strength_gate) {
      double mean = 0;
      for (std::size_t i = 0; i < recent_count_; ++i)
        mean += recent_[i];
      mean /= static_cast<double>(recent_count_);
      score = std::clamp((mean - params_.quiet_distance) / (params_.cap - params_.quiet_distance),
                         0.0, 1.0);
    }
    ++residuals_seen_;
    double alpha =
        1.0 / std::min(static_cast<double>(residuals_seen_), std::max(params_.long_points, 1.0));
    double mean_square =
        mean_square_residual_ + alpha * (residual * residual - mean_square_residual_);
    if (std::isfinite(mean_square))
      mean_square_residual_ = mean_square;
    residuals_.push(residual);
  }
  last_value_[bucket] = value;
  last_time_[bucket] = time;
  learn_value(value);
  return std::isnan(score) ? 0 : score;
}

std::string seasonal::save() const {
  state_writer out;
  out.put_text(name());
  out.put(seasonal_version);
  out.put(static_cast<std::uint64_t>(last_value_.size()));
  out.put(points_);
  out.put(residuals_seen_);
  out.put(mean_);
  out.put(variance_);
  out.put(mean_square_residual_);
  for (std::size_t i = 0; i < last_value_.size(); ++i) {
    out.put(last_value_[i]);
    out.put(last_time_[i]);
  }
  residuals_.save(out);
  for (double d : recent_)
    out.put(d);
  out.put(static_cast<std::uint64_t>(next_recent_));
  out.put(static_cast<std::uint64_t>(recent_count_));
  return out.release();
}

bool seasonal::load(std::string_view bytes) {
  state_reader in(bytes);
  std::string kind;
  std::uint32_t version = 0;
  std::uint64_t buckets = 0, next = 0, count = 0;
  seasonal copy(params_);
  if (!in.get_text(kind) || kind != name() || !in.get(version) || version != seasonal_version ||
      !in.get(buckets) || buckets != copy.last_value_.size() || !in.get(copy.points_) ||
      !in.get(copy.residuals_seen_) || !in.get(copy.mean_) || !in.get(copy.variance_) ||
      !in.get(copy.mean_square_residual_))
    return false;
  for (std::size_t i = 0; i < copy.last_value_.size(); ++i)
    if (!in.get(copy.last_value_[i]) || !in.get(copy.last_time_[i]) ||
        !std::isfinite(copy.last_value_[i]))
      return false;
  if (!copy.residuals_.load(in))
    return false;
  for (double& d : copy.recent_)
    if (!in.get(d) || !(d >= 0 && d <= params_.cap))
      return false;
  if (!in.get(next) || !in.get(count) || !in.done() || next >= params_.recent ||
      count > params_.recent || !std::isfinite(copy.mean_) || !std::isfinite(copy.variance_) ||
      copy.variance_ < 0 || !std::isfinite(copy.mean_square_residual_) ||
      copy.mean_square_residual_ < 0)
    return false;
  copy.next_recent_ = next;
  copy.recent_count_ = count;
  *this = std::move(copy);
  return true;
}

} // namespace qs::streaming
