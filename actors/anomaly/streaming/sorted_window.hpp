// A sliding window of the last `capacity` values kept both in arrival order (a
// ring) and sorted, so quantiles are O(1) and an update is O(log w) to find the
// slot plus one memmove of at most w doubles. Not thread-safe; owned by one
// detector.
#pragma once

#include <cstddef>
#include <vector>

#include "actors/anomaly/streaming/state_codec.hpp"

namespace qs::streaming {

class sorted_window {
public:
  explicit sorted_window(std::size_t capacity);

  /// Adds `value`, dropping the oldest value once the window is full.
  void push(double value);

  std::size_t size() const { return sorted_.size(); }
  std::size_t capacity() const { return capacity_; }
  bool empty() const { return sorted_.empty(); }

  /// The q-quantile (0 <= q <= 1) by linear interpolation. @pre !empty()
  double quantile(double q) const;
  double median() const { return quantile(0.5); }

  void save(state_writer& out) const;
  bool load(state_reader& in);
  std::size_t memory_bytes() const { return 2 * capacity_ * sizeof(double); }

private:
  std::size_t capacity_;
  std::vector<double> ring_; ///< arrival order; ring_[next_] is the oldest when full
  std::size_t next_ = 0;
  std::vector<double> sorted_;
};

} // namespace qs::streaming
