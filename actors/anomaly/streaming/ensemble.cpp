#include "actors/anomaly/streaming/ensemble.hpp"

#include <algorithm>
#include <cmath>

namespace qs::streaming {

namespace {
constexpr std::uint32_t ensemble_version = 3;
}

double cooldown::apply(double score) {
  bool quiet = since_high_ >= points_;
  if (since_high_ < UINT32_MAX)
    ++since_high_;
  if (score >= gate_)
    since_high_ = 0;
  return quiet ? score : 0.0;
}

held_score::held_score(std::uint32_t points)
    : points_(std::clamp<std::size_t>(points, 1, max_points)) {}

double held_score::push(double score) {
  recent_[next_] = score;
  next_ = (next_ + 1) % points_;
  return *std::max_element(recent_.begin(), recent_.begin() + static_cast<long>(points_));
}

void held_score::save(state_writer& out) const {
  for (std::size_t i = 0; i < points_; ++i)
    out.put(recent_[i]);
  out.put(static_cast<std::uint64_t>(next_));
}

bool held_score::load(state_reader& in) {
  held_score copy = *this;
  std::uint64_t next = 0;
  for (std::size_t i = 0; i < points_; ++i)
    if (!in.get(copy.recent_[i]) || !(copy.recent_[i] >= 0 && copy.recent_[i] <= 1))
      return false;
  if (!in.get(next) || next >= points_)
    return false;
  copy.next_ = next;
  *this = copy;
  return true;
}

ensemble::ensemble(ensemble_params params)
    : params_(params), context_(params.context), robust_(params.robust), seasonal_(params.seasonal),
      distribution_(params.distribution), held_context_(params.hold_points),
      held_robust_(params.hold_points), held_distribution_(params.hold_points),
      cooldown_(params.cooldown_points, params.cooldown_gate) {}

double ensemble::update(double time, double value) {
  double vote =
      params_.context_weight * held_context_.push(context_.update(time, value)) +
      params_.distribution_weight * held_distribution_.push(distribution_.update(time, value)) +
      params_.robust_weight * held_robust_.push(robust_.update(time, value));
  double score = std::clamp(std::max(vote, seasonal_.update(time, value)), 0.0, 1.0);
  return cooldown_.apply(score);
}

std::string ensemble::save() const {
  state_writer out;
  out.put_text(name());
  out.put(ensemble_version);
  out.put_text(context_.save());
  out.put_text(robust_.save());
  out.put_text(seasonal_.save());
  out.put_text(distribution_.save());
  held_context_.save(out);
  held_robust_.save(out);
  held_distribution_.save(out);
  cooldown_.save(out);
  return out.release();
}

bool ensemble::load(std::string_view bytes) {
  state_reader in(bytes);
  std::string kind, context, robust, season, distribution;
  std::uint32_t version = 0;
  ensemble copy(params_);
  if (!in.get_text(kind) || kind != name() || !in.get(version) || version != ensemble_version ||
      !in.get_text(context) || !in.get_text(robust) || !in.get_text(season) ||
      !in.get_text(distribution) || !copy.held_context_.load(in) || !copy.held_robust_.load(in) ||
      !copy.held_distribution_.load(in) || !copy.cooldown_.load(in) || !in.done() ||
      !copy.context_.load(context) || !copy.robust_.load(robust) || !copy.seasonal_.load(season) ||
      !copy.distribution_.load(distribution))
    return false;
  *this = std::move(copy);
  return true;
}

} // namespace qs::streaming
