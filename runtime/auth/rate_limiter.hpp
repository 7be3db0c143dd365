// Per-key token buckets. `take` answers whether a request may go ahead now
// and, if not, how many seconds until it may (for Retry-After).
// Thread-safe: any I/O thread may call it.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

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

  /// Takes `n` tokens from each key's bucket, all or none: when any bucket has
  /// too few, nothing is taken and the refused keys come back with the seconds
  /// until each would have enough (a need above `burst` never will: infinity).
  std::vector<std::pair<std::string, double>> take_all(const std::map<std::string, int>& needs,
                                                       double rate, double burst,
                                                       clock::time_point now = clock::now());

private:
  struct bucket {
    double tokens;
    clock::time_point last;
  };
  // The bucket of `who` refilled to `now`. GUARDED_BY(mutex_)
  bucket& refilled(const std::string& who, double rate, double burst, clock::time_point now);
  // Forgets full buckets once there are many (they are what a new one would be).
  void prune(double rate, double burst, clock::time_point now);
  std::mutex mutex_;
  std::unordered_map<std::string, bucket> buckets_; // GUARDED_BY(mutex_)
};

} // namespace qs::runtime::auth
