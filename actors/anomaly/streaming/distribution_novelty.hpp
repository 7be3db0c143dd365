// Distribution novelty: a point is anomalous when the distribution of the last
// `window` values is one the series has not shown before. The values fall in
// `bins` equal bins over the range seen so far; the window's histogram is
// compared with each learned distribution (a "hypothesis") by relative entropy,
// and 2 x window x KL below `critical` (the chi-square test at 1%, bins - 1
// degrees of freedom) means the window is that hypothesis again. A window that
// matches none scores 1 and becomes a hypothesis (up to `hypotheses`, the least
// recently matched one replaced); any other scores 0. This is the relative
// entropy test of Wang et al. (2011), as NAB runs it, made streaming: NAB bins
// over the whole file's range, which a stream does not know, so here the grid
// follows the range seen so far and is rebuilt when that range has grown by
// more than `regrid_growth` or a value falls below the lowest so far; the
// learned hypotheses are dropped then (their bins no longer mean the same
// values), so the window after a new extreme is new. O(hypotheses x bins) per
// point; memory: the window, and bins doubles per hypothesis.
//
// Time is not read: points are taken in arrival order whatever their timestamps.
#pragma once

#include <cstdint>
#include <vector>

#include "actors/anomaly/streaming/detector.hpp"
#include "actors/anomaly/streaming/state_codec.hpp"

namespace qs::streaming {

struct distribution_params {
  std::size_t window = 52;     ///< values in the compared window; 0 turns the detector off
  std::size_t bins = 5;        ///< 2..16
  std::size_t hypotheses = 32; ///< learned distributions kept
  double critical = 13.28;     ///< chi-square 0.99 quantile, 4 degrees of freedom
  double floor = 1e-3;         ///< smallest probability a hypothesis gives a bin
  double regrid_growth = 1.1;  ///< rebuild the grid when the range grows past this factor
};

class distribution_novelty final : public detector {
public:
  explicit distribution_novelty(distribution_params params = {});

  double update(double time, double value) override;
  std::size_t points() const override { return static_cast<std::size_t>(points_); }
  std::string save() const override;
  bool load(std::string_view bytes) override;
  std::size_t memory_bytes() const override;
  std::string_view name() const override { return "distribution"; }

private:
  struct hypothesis {
    std::vector<double> log_p; ///< log of each bin's probability (floored)
    std::uint64_t last_used = 0;
  };

  bool on() const { return params_.window > 0; }
  std::size_t bin_of(double value) const;
  void regrid();
  /// A hypothesis of the bin shares `q` (params_.bins of them).
  hypothesis learn(const double* q) const;

  distribution_params params_;
  std::uint64_t points_ = 0;
  double min_ = 0, max_ = 0, anchor_ = 0, step_ = 0;
  std::vector<double> ring_; ///< the last `window` values; ring_[next_] is the oldest when full
  std::size_t next_ = 0;
  std::vector<std::uint32_t> counts_; ///< the window's histogram
  std::vector<hypothesis> hypotheses_;
};

} // namespace qs::streaming
