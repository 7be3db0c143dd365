#include "runtime/auth/rate_limiter.hpp"

#include <algorithm>

namespace qs::runtime::auth {

rate_limiter::verdict rate_limiter::take(const std::string& who, double rate, double burst,
                                         clock::time_point now) {
  if (rate <= 0)
    return {};
  std::lock_guard<std::mutex> guard(mutex_);
  auto [it, fresh] = buckets_.try_emplace(who, bucket{burst, now});
  auto& b = it->second;
  if (!fresh) {
    const double elapsed = std::chrono::duration<double>(now - b.last).count();
    b.tokens = std::min(burst, b.tokens + elapsed * rate);
    b.last = now;
  }
  if (b.tokens >= 1) {
    b.tokens -= 1;
    return {};
  }
  return {false, (1 - b.tokens) / rate};
}

} // namespace qs::runtime::auth
