// The default detector: a vote of three novelty detectors, each score held for
// a few points so that parts seeing one event a point or two apart agree:
// 0.4 x context novelty (new level sequences and values past the range), 0.4 x
// distribution novelty (a window of values distributed as never before) and
// 0.2 x robust z (distance from the recent median, as surprise); the larger of
// that vote and the seasonal residual (a day's shape changed); then a cooldown:
// a score is reported only when no score of the last `cooldown_points` points
// reached `cooldown_gate`, so one event alerts once instead of for every point
// it lasts. One part alone stays under the gate; two agreeing pass it.
// O(log w) per point (the robust z and seasonal windows); about 18 KB per
// series with the NAB settings (see qs-bench-anomaly).
//
// Time is read by the seasonal part only (see seasonal.hpp for a clock that
// steps back); the other parts take points in arrival order.
#pragma once

#include <array>

#include "actors/anomaly/streaming/context_novelty.hpp"
#include "actors/anomaly/streaming/distribution_novelty.hpp"
#include "actors/anomaly/streaming/robust_z.hpp"
#include "actors/anomaly/streaming/seasonal.hpp"

namespace qs::streaming {

struct ensemble_params {
  context_params context;
  robust_z_params robust = robust_z_params::wide();
  seasonal_params seasonal;
  distribution_params distribution;
  double context_weight = 0.4;
  double distribution_weight = 0.4;
  double robust_weight = 0.2;
  std::uint32_t hold_points = 3; ///< a part's score is the highest of its last this many (1..8)
  std::uint32_t cooldown_points = 50;
  double cooldown_gate = 0.6;
};

/// A score gate with a cooldown, shared by the ensemble and the product.
class cooldown {
public:
  cooldown(std::uint32_t points, double gate) : points_(points), gate_(gate) {}
  /// `score`, or 0 while a score >= gate was seen within the last `points`.
  double apply(double score);
  void save(state_writer& out) const { out.put(since_high_); }
  bool load(state_reader& in) { return in.get(since_high_); }

private:
  std::uint32_t points_;
  double gate_;
  std::uint32_t since_high_ = UINT32_MAX; ///< points since a score >= gate
};

/// The highest of the last `points` scores of one part (at most `max_points`).
class held_score {
public:
  static constexpr std::size_t max_points = 8;
  explicit held_score(std::uint32_t points);
  /// Adds `score` and returns the highest of the last `points` scores.
  double push(double score);
  void save(state_writer& out) const;
  bool load(state_reader& in);

private:
  std::size_t points_;
  std::array<double, max_points> recent_{};
  std::size_t next_ = 0;
};

class ensemble final : public detector {
public:
  explicit ensemble(ensemble_params params = {});

  double update(double time, double value) override;
  std::size_t points() const override { return context_.points(); }
  std::string save() const override;
  bool load(std::string_view bytes) override;
  std::size_t memory_bytes() const override {
    return sizeof *this - sizeof context_ - sizeof robust_ - sizeof seasonal_ -
           sizeof distribution_ + context_.memory_bytes() + robust_.memory_bytes() +
           seasonal_.memory_bytes() + distribution_.memory_bytes();
  }
  std::string_view name() const override { return "ensemble"; }

private:
  ensemble_params params_;
  context_novelty context_;
  robust_z robust_;
  seasonal seasonal_;
  distribution_novelty distribution_;
  held_score held_context_, held_robust_, held_distribution_;
  cooldown cooldown_;
};

} // namespace qs::streaming
