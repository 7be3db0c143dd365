#pragma once
// Latency histogram with logarithmic buckets from 1 us to 60 s. Each bucket is 1% wider than
// the one before, so a reported percentile is within about 0.5% of a recorded value. Values
// are nanoseconds; values below 1 us share the first bucket, values above 60 s the last one,
// and the exact minimum and maximum are kept on the side.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace qs::loadgen {

class Histogram {
public:
  Histogram();

  void record(std::int64_t ns);
  void merge(const Histogram& other);

  std::int64_t count() const { return count_; }
  std::int64_t min() const { return min_; }
  std::int64_t max() const { return max_; }
  double mean() const { return count_ == 0 ? 0.0 : sum_ / static_cast<double>(count_); }
  // The value at or below which `fraction` (0..1) of the recorded values fall; 0 when empty.
  std::int64_t percentile(double fraction) const;

private:
  static std::size_t index_of(std::int64_t ns);
  static double midpoint_of(std::size_t index);

  std::vector<std::int64_t> buckets_;
  std::int64_t count_ = 0;
  std::int64_t min_ = 0;
  std::int64_t max_ = 0;
  double sum_ = 0.0;
};

} // namespace qs::loadgen
