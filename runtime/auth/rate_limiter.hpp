// Per-key token buckets. `take` answers whether a request may go ahead now
// and, if not, how many seconds until it may (for Retry-After).
// Thread-safe: any I/O thread may call it.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

namespace qs::runtime::auth {

class rate_limiter {
public:
  using clock = std::chrono::steady_clock;

  struct verdict {
    bool allowed = true;
    double retry_after_seconds = 0;
  };

  /// `rate` tokens a second up to `burst`; rate 0 means unlimited.
  verdict take(const std::string& who, double rate, double burst,
               clock::time_point now = clock::now());

private:
  struct bucket {
    double tokens;
    clock::time_point last;
  };
  std::mutex mutex_;
  std::unordered_map<std::string, bucket> buckets_; // GUARDED_BY(mutex_)
};

} // namespace qs::runtime::auth
