#include "actors/anomaly/streaming/robust_z.hpp"

#include <algorithm>
#include <cmath>

namespace qs::streaming {

namespace {
constexpr std::uint32_t robust_z_version = 1;
}

double robust_distance::update(double value) {
  double distance = 0;
  if (seen_ == 0) {
    min_ = max_ = value;
  } else {
    if (window_.size() >= params_.min_points) {
      double spread = (window_.quantile(0.75) - window_.quantile(0.25)) / 1.349;
      double floor = std::max(params_.floor_share * (max_ - min_), 1e-9);
      distance = std::abs(value - window_.median()) / std::max(spread, floor);
      distance = std::isnan(distance) ? params_.cap : std::min(distance, params_.cap);
    }
    min_ = std::min(min_, value);
    max_ = std::max(max_, value);
  }
  ++seen_;
  window_.push(value);
  return distance;
}

void robust_distance::save(state_writer& out) const {
  out.put(min_);
  out.put(max_);
  out.put(seen_);
  window_.save(out);
}

bool robust_distance::load(state_reader& in) {
  return in.get(min_) && in.get(max_) && in.get(seen_) && window_.load(in);
}

double robust_z::update(double, double value) {
  ++points_;
  return surprise_.update(distance_.update(value));
}

std::string robust_z::save() const {
  state_writer out;
  out.put_text(name());
  out.put(robust_z_version);
  out.put(static_cast<std::uint64_t>(points_));
  distance_.save(out);
  surprise_.save(out);
  return out.release();
}

bool robust_z::load(std::string_view bytes) {
  state_reader in(bytes);
  std::string kind;
  std::uint32_t version = 0;
  std::uint64_t points = 0;
  robust_z copy(params_);
  if (!in.get_text(kind) || kind != name() || !in.get(version) || version != robust_z_version ||
      !in.get(points) || !copy.distance_.load(in) || !copy.surprise_.load(in) || !in.done())
    return false;
  copy.points_ = points;
  *this = std::move(copy);
  return true;
}

} // namespace qs::streaming
