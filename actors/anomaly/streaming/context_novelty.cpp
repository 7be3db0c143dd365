#include "actors/anomaly/streaming/context_novelty.hpp"

#include <algorithm>
#include <cmath>

namespace qs::streaming {

namespace {

constexpr std::uint32_t context_version = 1;

template<std::size_t N> void save_bits(state_writer& out, const std::bitset<N>& bits) {
  for (std::size_t i = 0; i < N; i += 64) {
    std::uint64_t word = 0;
    for (std::size_t j = 0; j < 64 && i + j < N; ++j)
      word |= static_cast<std::uint64_t>(bits[i + j]) << j;
    out.put(word);
  }
}

template<std::size_t N> bool load_bits(state_reader& in, std::bitset<N>& bits) {
  for (std::size_t i = 0; i < N; i += 64) {
    std::uint64_t word = 0;
    if (!in.get(word))
      return false;
    for (std::size_t j = 0; j < 64 && i + j < N; ++j)
      bits[i + j] = (word >> j) & 1u;
  }
  return true;
}

} // namespace

context_novelty::context_novelty(context_params params) : params_(params) {
  int bits = std::clamp(params_.order2_log2_bits, 6, 24);
  order2_shift_ = 64 - bits;
  seen2_.assign(std::size_t{1} << (bits - 6), 0);
}

int context_novelty::symbol_of(double value) const {
  if (step_ <= 0)
    return margin;
  double level = std::floor((value - anchor_) / step_);
  if (std::isnan(level)) // only from ranges past the largest double
    return margin;
  return static_cast<int>(std::clamp(level + margin, 0.0, static_cast<double>(symbols - 1)));
}

double context_novelty::novelty(double value) {
  double extreme = 0;
  if (points_ >= params_.min_points && max_ > min_) {
    double beyond = std::max(value - max_, min_ - value) / (max_ - min_);
    if (beyond > 0)
      extreme = std::min(1.0, params_.extreme_gain * beyond);
  }
  if (points_ == 0) {
    min_ = max_ = anchor_ = value;
  } else {
    min_ = std::min(min_, value);
    max_ = std::max(max_, value);
  }
  double wanted = (max_ - min_) / std::max(params_.levels, 1);
  if (wanted > 0 && (step_ == 0 || wanted > step_ * params_.regrid_growth)) {
    step_ = wanted;
    anchor_ = min_;
  }
  int s = symbol_of(value);
  double raw = 0;
  if (points_ > 0) {
    std::size_t key0 = static_cast<std::size_t>(s);
    std::size_t key1 = static_cast<std::size_t>(previous_[0] * symbols + s);
    int orders = 2;
    int fresh = (seen0_[key0] ? 0 : 1) + (seen1_[key1] ? 0 : 1);
    seen0_[key0] = true;
    bool order1_new = !seen1_[key1];
    seen1_[key1] = true;
    if (points_ > 1) {
      std::uint64_t triple =
          static_cast<std::uint64_t>((previous_[1] * symbols + previous_[0]) * symbols + s);
      auto key2 = static_cast<std::size_t>((triple * 0x9E3779B97F4A7C15ull) >> order2_shift_);
      std::uint64_t bit = std::uint64_t{1} << (key2 % 64);
      fresh += (seen2_[key2 / 64] & bit) ? 0 : 1;
      seen2_[key2 / 64] |= bit;
      ++orders;
    }
    if (order1_new && points_ >= params_.min_points)
      raw = static_cast<double>(fresh) / orders;
  } else {
    seen0_[static_cast<std::size_t>(s)] = true;
  }
  previous_[1] = previous_[0];
  previous_[0] = s;
  ++points_;
  return std::max(raw, extreme);
}

double context_novelty::update(double, double value) {
  return novelty(value);
}

std::string context_novelty::save() const {
  state_writer out;
  out.put_text(name());
  out.put(context_version);
  out.put(points_);
  out.put(min_);
  out.put(max_);
  out.put(anchor_);
  out.put(step_);
  out.put(previous_);
  save_bits(out, seen0_);
  save_bits(out, seen1_);
  for (auto word : seen2_)
    out.put(word);
  return out.release();
}

bool context_novelty::load(std::string_view bytes) {
  state_reader in(bytes);
  std::string kind;
  std::uint32_t version = 0;
  context_novelty copy(params_);
  if (!in.get_text(kind) || kind != name() || !in.get(version) || version != context_version ||
      !in.get(copy.points_) || !in.get(copy.min_) || !in.get(copy.max_) || !in.get(copy.anchor_) ||
      !in.get(copy.step_) || !in.get(copy.previous_) || !load_bits(in, copy.seen0_) ||
      !load_bits(in, copy.seen1_))
    return false;
  for (auto& word : copy.seen2_)
    if (!in.get(word))
      return false;
  if (!in.done())
    return false;
  for (int s : copy.previous_)
    if (s < 0 || s >= symbols)
      return false;
  if (!std::isfinite(copy.min_) || !std::isfinite(copy.max_) || !std::isfinite(copy.anchor_) ||
      !std::isfinite(copy.step_) || copy.step_ < 0)
    return false;
  *this = copy;
  return true;
}

} // namespace qs::streaming
