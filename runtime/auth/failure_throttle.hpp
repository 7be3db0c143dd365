// Throttles failed authentication per client: each client (an IPv4 address, or
// an IPv6 /64, which one host can freely move within) may fail `per_minute`
// times in a burst, earning one more try every 60/per_minute seconds. A client
// out of tries is refused before its key is even looked at (429 with
// Retry-After), so a key cannot be guessed faster than that; other clients and
// the health routes are never slowed. Successful requests cost nothing.
//
// Memory is bounded: at most `max_clients` are tracked; when full, clients
// whose tries have all come back are forgotten (at most once a second), and a
// new client that still finds no room is not tracked (it is let through:
// refusing it would let an attacker with many addresses lock everyone out).
// Thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace qs::runtime::auth {

class failure_throttle {
public:
  using clock = std::chrono::steady_clock;

  /// `per_minute` 0 disables the throttle.
  explicit failure_throttle(double per_minute = 60, std::size_t max_clients = 100000);

  struct verdict {
    bool allowed = true;
    double retry_after_seconds = 0;
  };

  /// May this client present a key now?
  verdict check(std::string_view address, clock::time_point now = clock::now());
  /// The key it presented was wrong.
  void failed(std::string_view address, clock::time_point now = clock::now());

  std::size_t tracked() const;

  /// The client an address belongs to: the IPv4 address itself (also when
  /// IPv4-mapped), the /64 of an IPv6 one.
  static std::string client_of(std::string_view address);

private:
  struct bucket {
    double tries;
    clock::time_point last;
  };
  void refill(bucket& b, clock::time_point now) const;
  void make_room(clock::time_point now);

  const double per_minute_;
  const std::size_t max_clients_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, bucket> clients_; // GUARDED_BY(mutex_)
  clock::time_point last_sweep_{};                  // GUARDED_BY(mutex_)
};

} // namespace qs::runtime::auth
