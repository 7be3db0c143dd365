#include "actors/anomaly/streaming/distribution_novelty.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace qs::streaming {

namespace {
constexpr std::uint32_t distribution_version = 1;
constexpr std::size_t max_bins = 16;
} // namespace

distribution_novelty::distribution_novelty(distribution_params params) : params_(params) {
  params_.bins = std::clamp<std::size_t>(params_.bins, 2, max_bins);
  params_.hypotheses = std::max<std::size_t>(params_.hypotheses, 1);
  counts_.assign(on() ? params_.bins : 0, 0);
  if (on()) {
    ring_.reserve(params_.window);
    hypotheses_.reserve(params_.hypotheses);
  }
}

std::size_t distribution_novelty::memory_bytes() const {
  std::size_t bytes = sizeof *this + ring_.capacity() * sizeof(double) +
                      counts_.capacity() * sizeof(std::uint32_t) +
                      hypotheses_.capacity() * sizeof(hypothesis);
  for (const auto& h : hypotheses_)
    bytes += h.log_p.capacity() * sizeof(double);
  // Room for the hypotheses not learned yet, so the figure is the bound.
  bytes += (params_.hypotheses - std::min(params_.hypotheses, hypotheses_.size())) *
           (on() ? params_.bins * sizeof(double) : 0);
  return bytes;
}

std::size_t distribution_novelty::bin_of(double value) const {
  if (!(step_ > 0))
    return 0;
  double level = std::floor((value - anchor_) / step_);
  if (!(level > 0)) // negative, zero or NaN
    return 0;
  return std::min(static_cast<std::size_t>(std::min(level, 1e9)), params_.bins - 1);
}

void distribution_novelty::regrid() {
  step_ = (max_ - min_) / static_cast<double>(params_.bins) * (1 + 1e-9);
  anchor_ = min_;
  hypotheses_.clear();
  std::fill(counts_.begin(), counts_.end(), 0);
  for (double value : ring_)
    ++counts_[bin_of(value)];
}

distribution_novelty::hypothesis distribution_novelty::learn(const double* q) const {
  hypothesis h;
  h.log_p.reserve(params_.bins);
  for (std::size_t b = 0; b < params_.bins; ++b)
    h.log_p.push_back(std::log(std::max(q[b], params_.floor)));
  h.last_used = points_;
  return h;
}

double distribution_novelty::update(double, double value) {
  ++points_;
  if (!on())
    return 0;
  if (points_ == 1) {
    min_ = max_ = value;
  } else {
    min_ = std::min(min_, value);
    max_ = std::max(max_, value);
  }
  double wanted = (max_ - min_) / static_cast<double>(params_.bins);
  if (wanted > 0 && std::isfinite(wanted) &&
      (step_ == 0 || wanted > step_ * params_.regrid_growth || min_ < anchor_))
    regrid();
  if (ring_.size() < params_.window) {
    ring_.push_back(value);
  } else {
    --counts_[bin_of(ring_[next_])];
    ring_[next_] = value;
    next_ = (next_ + 1) % params_.window;
  }
  ++counts_[bin_of(value)];
  if (ring_.size() < params_.window || step_ == 0)
    return 0;

  // 2 W KL(q || p) = 2 W (sum q log q - sum q log p), the second sum per hypothesis.
  const double w = static_cast<double>(params_.window);
  std::array<double, max_bins> q{};
  double self = 0;
  for (std::size_t b = 0; b < params_.bins; ++b) {
    q[b] = counts_[b] / w;
    if (q[b] > 0)
      self += q[b] * std::log(q[b]);
  }
  hypothesis* best = nullptr;
  double best_statistic = 0;
  for (auto& h : hypotheses_) {
    double cross = 0;
    for (std::size_t b = 0; b < params_.bins; ++b)
      cross += q[b] * h.log_p[b];
    double statistic = 2 * w * (self - cross);
    if (!best || statistic < best_statistic) {
      best = &h;
      best_statistic = statistic;
    }
  }
  if (best && best_statistic < params_.critical) {
    best->last_used = points_;
    return 0;
  }
  if (hypotheses_.size() < params_.hypotheses) {
    hypotheses_.push_back(learn(q.data()));
  } else {
    auto oldest = std::min_element(
        hypotheses_.begin(), hypotheses_.end(),
        [](const hypothesis& a, const hypothesis& b) { return a.last_used < b.last_used; });
    *oldest = learn(q.data());
  }
  return 1;
}

std::string distribution_novelty::save() const {
  state_writer out;
  out.put_text(name());
  out.put(distribution_version);
  out.put(static_cast<std::uint64_t>(params_.window));
  out.put(static_cast<std::uint64_t>(params_.bins));
  out.put(points_);
  out.put(min_);
  out.put(max_);
  out.put(anchor_);
  out.put(step_);
  out.put(static_cast<std::uint64_t>(ring_.size()));
  out.put(static_cast<std::uint64_t>(next_));
  for (double value : ring_)
    out.put(value);
  out.put(static_cast<std::uint64_t>(hypotheses_.size()));
  for (const auto& h : hypotheses_) {
    out.put(h.last_used);
    for (double log_p : h.log_p)
      out.put(log_p);
  }
  return out.release();
}

bool distribution_novelty::load(std::string_view bytes) {
  state_reader in(bytes);
  std::string kind;
  std::uint32_t version = 0;
  std::uint64_t window = 0, bins = 0, size = 0, next = 0, learned = 0;
  distribution_novelty copy(params_);
  if (!in.get_text(kind) || kind != name() || !in.get(version) || version != distribution_version ||
      !in.get(window) || window != params_.window || !in.get(bins) || bins != copy.params_.bins ||
      !in.get(copy.points_) || !in.get(copy.min_) || !in.get(copy.max_) || !in.get(copy.anchor_) ||
      !in.get(copy.step_) || !in.get(size) || !in.get(next) || size > params_.window ||
      (size > 0 && next >= size) || (size < params_.window && next != 0))
    return false;
  copy.ring_.assign(size, 0.0);
  for (double& value : copy.ring_)
    if (!in.get(value) || !std::isfinite(value))
      return false;
  copy.next_ = next;
  if (!in.get(learned) || learned > copy.params_.hypotheses)
    return false;
  copy.hypotheses_.resize(learned);
  for (auto& h : copy.hypotheses_) {
    h.log_p.assign(copy.params_.bins, 0.0);
    if (!in.get(h.last_used))
      return false;
    for (double& log_p : h.log_p)
      if (!in.get(log_p) || !(log_p <= 0))
        return false;
  }
  if (!in.done() || !std::isfinite(copy.min_) || !std::isfinite(copy.max_) ||
      !std::isfinite(copy.anchor_) || !(copy.step_ >= 0) || !std::isfinite(copy.step_))
    return false;
  std::fill(copy.counts_.begin(), copy.counts_.end(), 0);
  for (double value : copy.ring_)
    ++copy.counts_[copy.bin_of(value)];
  *this = std::move(copy);
  return true;
}

} // namespace qs::streaming
