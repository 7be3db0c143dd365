#include "runtime/auth/rate_limiter.hpp"

#include <algorithm>
#include <limits>

namespace qs::runtime::auth {

namespace {
constexpr std::size_t prune_above = 10000; // buckets
}

rate_limiter::bucket& rate_limiter::refilled(const std::string& who, double rate, double burst,
                                             clock::time_point now) {
  auto [it, fresh] = buckets_.try_emplace(who, bucket{burst, now});
  auto& b = it->second;
  if (!fresh) {
    const double elapsed = std::chrono::duration<double>(now - b.last).count();
    b.tokens = std::min(burst, b.tokens + elapsed * rate);
    b.last = now;
  }
  return b;
}

void rate_limiter::prune(double rate, double burst, clock::time_point now) {
  if (buckets_.size() <= prune_above)
    return;
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    const double elapsed = std::chrono::duration<double>(now - it->second.last).count();
    if (it->second.tokens + elapsed * rate >= burst)
      it = buckets_.erase(it);
    else
      ++it;
  }
}

rate_limiter::verdict rate_limiter::take(const std::string& who, double rate, double burst,
                                         clock::time_point now) {
  if (rate <= 0)
    return {};
  std::lock_guard<std::mutex> guard(mutex_);
  prune(rate, burst, now);
  auto& b = refilled(who, rate, burst, now);
  if (b.tokens >= 1) {
    b.tokens -= 1;
    return {};
  }
  return {false, (1 - b.tokens) / rate};
}

std::vector<std::pair<std::string, double>>
rate_limiter::take_all(const std::map<std::string, int>& needs, double rate, double burst,
                       clock::time_point now) {
  std::vector<std::pair<std::string, double>> refused;
  if (rate <= 0)
    return refused;
  std::lock_guard<std::mutex> guard(mutex_);
  prune(rate, burst, now);
  for (const auto& [who, n] : needs) {
    const auto& b = refilled(who, rate, burst, now);
    if (n > burst)
      refused.emplace_back(who, std::numeric_limits<double>::infinity());
    else if (b.tokens < n)
      refused.emplace_back(who, (n - b.tokens) / rate);
  }
  if (refused.empty())
    for (const auto& [who, n] : needs)
      buckets_.at(who).tokens -= n;
  return refused;
}

} // namespace qs::runtime::auth
