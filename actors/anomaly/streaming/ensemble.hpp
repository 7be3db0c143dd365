// The default detector: the mean of context novelty (new level sequences) and
// robust z (distance from the recent median, as surprise), then a cooldown: a
// score is reported only when no score of the last `cooldown_points` points
// reached `cooldown_gate`, so one event alerts once instead of for every point
// it lasts. O(log w) per point (the robust z window); about 7 KB per series
// with the NAB settings (see qs-bench-anomaly).
#pragma once

#include "actors/anomaly/streaming/context_novelty.hpp"
#include "actors/anomaly/streaming/robust_z.hpp"
#include "actors/anomaly/streaming/seasonal.hpp"

namespace qs::streaming {

struct ensemble_params {
  context_params context;
  robust_z_params robust;
  seasonal_params seasonal;
  double context_weight = 0.5;
  std::uint32_t cooldown_points = 80;
  double cooldown_gate = 0.5;
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

class ensemble final : public detector {
public:
  explicit ensemble(ensemble_params params = {});

  double update(double time, double value) override;
  std::size_t points() const override { return context_.points(); }
  std::string save() const override;
  bool load(std::string_view bytes) override;
  std::size_t memory_bytes() const override {
    return sizeof *this - sizeof context_ - sizeof robust_ - sizeof seasonal_ +
           context_.memory_bytes() + robust_.memory_bytes() + seasonal_.memory_bytes();
  }
  std::string_view name() const override { return "ensemble"; }

private:
  ensemble_params params_;
  context_novelty context_;
  robust_z robust_;
  seasonal seasonal_;
  cooldown cooldown_;
};

} // namespace qs::streaming
