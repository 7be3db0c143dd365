#include "actors/anomaly/streaming/ensemble.hpp"

#include <algorithm>

namespace qs::streaming {

namespace {
constexpr std::uint32_t ensemble_version = 2;
}

double cooldown::apply(double score) {
  bool quiet = since_high_ >= points_;
  if (since_high_ < UINT32_MAX)
    ++since_high_;
  if (score >= gate_)
    since_high_ = 0;
  return quiet ? score : 0.0;
}

ensemble::ensemble(ensemble_params params)
    : params_(params), context_(params.context), robust_(params.robust), seasonal_(params.seasonal),
      cooldown_(params.cooldown_points, params.cooldown_gate) {}

double ensemble::update(double time, double value) {
  double w = std::clamp(params_.context_weight, 0.0, 1.0);
  double score = w * context_.update(time, value) + (1 - w) * robust_.update(time, value);
  return cooldown_.apply(std::max(score, seasonal_.update(time, value)));
}

std::string ensemble::save() const {
  state_writer out;
  out.put_text(name());
  out.put(ensemble_version);
  out.put_text(context_.save());
  out.put_text(robust_.save());
  out.put_text(seasonal_.save());
  cooldown_.save(out);
  return out.release();
}

bool ensemble::load(std::string_view bytes) {
  state_reader in(bytes);
  std::string kind, context, robust, season;
  std::uint32_t version = 0;
  ensemble copy(params_);
  if (!in.get_text(kind) || kind != name() || !in.get(version) || version != ensemble_version ||
      !in.get_text(context) || !in.get_text(robust) || !in.get_text(season) ||
      !copy.cooldown_.load(in) || !in.done() || !copy.context_.load(context) ||
      !copy.robust_.load(robust) || !copy.seasonal_.load(season))
    return false;
  *this = std::move(copy);
  return true;
}

} // namespace qs::streaming
