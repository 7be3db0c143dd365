#include "histogram.hpp"

#include <algorithm>
#include <cmath>

namespace qs::loadgen {
namespace {

constexpr double min_ns = 1e3;  // 1 us
constexpr double max_ns = 60e9; // 60 s
constexpr double growth = 1.01; // each bucket 1% wider than the previous one

double log_growth() {
  static const double value = std::log(growth);
  return value;
}

std::size_t bucket_count() {
  // Bucket 0 holds (0, min]; bucket i >= 1 holds (min * growth^(i-1), min * growth^i].
  static const std::size_t value =
      static_cast<std::size_t>(std::ceil(std::log(max_ns / min_ns) / log_growth())) + 1;
  return value;
}

} // namespace

Histogram::Histogram() : buckets_(bucket_count(), 0) {}

std::size_t Histogram::index_of(std::int64_t ns) {
  auto value = static_cast<double>(ns);
  if (value <= min_ns) {
    return 0;
  }
  auto index = static_cast<std::size_t>(std::ceil(std::log(value / min_ns) / log_growth()));
  return std::min(index, bucket_count() - 1);
}

double Histogram::midpoint_of(std::size_t index) {
  // Geometric middle of the bucket, so the relative error is the same on both sides.
  return min_ns * std::pow(growth, static_cast<double>(index) - 0.5);
}

void Histogram::record(std::int64_t ns) {
  ns = std::max<std::int64_t>(ns, 0);
  ++buckets_[index_of(ns)];
  min_ = count_ == 0 ? ns : std::min(min_, ns);
  max_ = count_ == 0 ? ns : std::max(max_, ns);
  ++count_;
  sum_ += static_cast<double>(ns);
}

void Histogram::merge(const Histogram& other) {
  if (other.count_ == 0) {
    return;
  }
  for (std::size_t i = 0; i < buckets_.size(); ++i) {
    buckets_[i] += other.buckets_[i];
  }
  min_ = count_ == 0 ? other.min_ : std::min(min_, other.min_);
  max_ = count_ == 0 ? other.max_ : std::max(max_, other.max_);
  count_ += other.count_;
  sum_ += other.sum_;
}

std::int64_t Histogram::percentile(double fraction) const {
  if (count_ == 0) {
    return 0;
  }
  if (fraction >= 1.0) {
    return max_;
  }
  auto rank = static_cast<std::int64_t>(std::ceil(std::max(fraction, 0.0) * count_));
  rank = std::max<std::int64_t>(rank, 1);
  std::int64_t seen = 0;
  for (std::size_t i = 0; i < buckets_.size(); ++i) {
    seen += buckets_[i];
    if (seen >= rank) {
      auto value = static_cast<std::int64_t>(std::llround(midpoint_of(i)));
      return std::clamp(value, min_, max_);
    }
  }
  return max_;
}

} // namespace qs::loadgen
