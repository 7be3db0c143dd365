// Context novelty: a point is anomalous when the short sequence of levels that
// ends with it has never been seen. Values become levels on a grid of
// `levels` steps over the range seen so far; the grid is re-anchored only when
// the range has grown `regrid_growth` times since it was set, so one new extreme
// does not make every later context look new. The detector remembers, exactly,
// which (context, level) pairs of orders 0 and 1 it has seen, and order-2 pairs
// in a hashed bit table (levels far outside the grid share its edge symbols).
// Its raw score is the share of those orders whose pair is new, spoken only when
// the order-1 pair (previous level, this level) is new; a value past the range
// seen so far scores at least `extreme_gain` times its distance past it, as a
// share of the range. O(1) per point; fixed
// bit tables of 0.5 KB plus 2^order2_log2_bits bits (4 KB by default) per series.
#pragma once

#include <array>
#include <bitset>
#include <cstdint>
#include <vector>

#include "actors/anomaly/streaming/detector.hpp"
#include "actors/anomaly/streaming/state_codec.hpp"

namespace qs::streaming {

struct context_params {
  int levels = 16;
  double regrid_growth = 2.0;
  int order2_log2_bits = 15;    ///< size of the hashed order-2 table: 2^n bits (6..24)
  std::uint64_t min_points = 8; ///< points learned before the first score above 0
  double extreme_gain = 10;     ///< a new extreme scores gain x (distance past the range / range)
};

class context_novelty final : public detector {
public:
  /// Symbols: the grid's levels (up to twice `levels` before a regrid) and a
  /// margin below it.
  static constexpr int symbols = 64;
  static constexpr int margin = 24;

  explicit context_novelty(context_params params = {});

  double update(double time, double value) override;
  std::size_t points() const override { return static_cast<std::size_t>(points_); }
  std::string save() const override;
  bool load(std::string_view bytes) override;
  std::size_t memory_bytes() const override {
    return sizeof *this + seen2_.capacity() * sizeof(std::uint64_t);
  }
  std::string_view name() const override { return "context"; }

  /// The raw novelty in [0, 1] of `value` after the points so far; learns it.
  double novelty(double value);

private:
  int symbol_of(double value) const;

  context_params params_;
  std::uint64_t points_ = 0;
  double min_ = 0, max_ = 0, anchor_ = 0, step_ = 0;
  std::array<int, 2> previous_{}; ///< [0] the last symbol, [1] the one before
  std::bitset<symbols> seen0_;
  std::bitset<symbols * symbols> seen1_;
  int order2_shift_;                 ///< 64 - log2 of the order-2 table's bits
  std::vector<std::uint64_t> seen2_; ///< hashed order-2 pairs, one bit each
};

} // namespace qs::streaming
