#include "actors/anomaly/streaming/sorted_window.hpp"

#include <algorithm>
#include <cmath>

namespace qs::streaming {

sorted_window::sorted_window(std::size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {
  ring_.reserve(capacity_);
  sorted_.reserve(capacity_);
}

void sorted_window::push(double value) {
  if (ring_.size() < capacity_) {
    ring_.push_back(value);
  } else {
    double oldest = ring_[next_];
    ring_[next_] = value;
    next_ = (next_ + 1) % capacity_;
    auto at = std::lower_bound(sorted_.begin(), sorted_.end(), oldest);
    // Replace in place and slide the new value to its sorted slot.
    auto to = std::lower_bound(sorted_.begin(), sorted_.end(), value);
    if (to > at) {
      std::move(at + 1, to, at);
      *(to - 1) = value;
    } else {
      std::move_backward(to, at, at + 1);
      *to = value;
    }
    return;
  }
  sorted_.insert(std::upper_bound(sorted_.begin(), sorted_.end(), value), value);
}

double sorted_window::quantile(double q) const {
  double at = q * static_cast<double>(sorted_.size() - 1);
  auto low = static_cast<std::size_t>(at);
  if (low + 1 >= sorted_.size())
    return sorted_.back();
  double share = at - static_cast<double>(low);
  return sorted_[low] + share * (sorted_[low + 1] - sorted_[low]);
}

void sorted_window::save(state_writer& out) const {
  out.put(static_cast<std::uint64_t>(ring_.size()));
  out.put(static_cast<std::uint64_t>(next_));
  for (double value : ring_)
    out.put(value);
}

bool sorted_window::load(state_reader& in) {
  std::uint64_t size = 0, next = 0;
  if (!in.get(size) || !in.get(next) || size > capacity_ || (size > 0 && next >= size) ||
      (size < capacity_ && next != 0))
    return false;
  ring_.assign(size, 0.0);
  for (auto& value : ring_)
    if (!in.get(value) || !std::isfinite(value))
      return false;
  next_ = next;
  sorted_ = ring_;
  std::sort(sorted_.begin(), sorted_.end());
  return true;
}

} // namespace qs::streaming
