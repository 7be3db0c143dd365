#include "runtime/auth/failure_throttle.hpp"

#include <algorithm>
#include <cstring>

#include <arpa/inet.h>

namespace qs::runtime::auth {

failure_throttle::failure_throttle(double per_minute, std::size_t max_clients)
    : per_minute_(per_minute), max_clients_(max_clients) {}

std::string failure_throttle::client_of(std::string_view address) {
  const std::string text(address);
  in6_addr v6{};
  if (inet_pton(AF_INET6, text.c_str(), &v6) != 1)
    return text; // IPv4, or not an address at all (tests)
  static const std::uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(v6.s6_addr, mapped, sizeof mapped) == 0) {
    char v4[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, v6.s6_addr + 12, v4, sizeof v4);
    return v4;
  }
  std::memset(v6.s6_addr + 8, 0, 8);
  char out[INET6_ADDRSTRLEN];
  inet_ntop(AF_INET6, &v6, out, sizeof out);
  return std::string(out) + "/64";
}

void failure_throttle::refill(bucket& b, clock::time_point now) const {
  const double seconds = std::chrono::duration<double>(now - b.last).count();
  if (seconds > 0)
    b.tries = std::min(per_minute_, b.tries + seconds * per_minute_ / 60.0);
  b.last = now;
}

failure_throttle::verdict failure_throttle::check(std::string_view address, clock::time_point now) {
  if (per_minute_ <= 0)
    return {};
  std::lock_guard lock(mutex_);
  auto it = clients_.find(client_of(address));
  if (it == clients_.end())
    return {};
  refill(it->second, now);
  if (it->second.tries >= 1)
    return {};
  return {false, (1 - it->second.tries) * 60.0 / per_minute_};
}

void failure_throttle::failed(std::string_view address, clock::time_point now) {
  if (per_minute_ <= 0)
    return;
  std::lock_guard lock(mutex_);
  auto client = client_of(address);
  auto it = clients_.find(client);
  if (it == clients_.end()) {
    if (clients_.size() >= max_clients_)
      make_room(now);
    if (clients_.size() >= max_clients_)
      return;
    it = clients_.emplace(std::move(client), bucket{per_minute_, now}).first;
  }
  refill(it->second, now);
  it->second.tries = std::max(0.0, it->second.tries - 1);
}

void failure_throttle::make_room(clock::time_point now) {
  if (now - last_sweep_ < std::chrono::seconds(1))
    return;
  last_sweep_ = now;
  for (auto it = clients_.begin(); it != clients_.end();) {
    refill(it->second, now);
    it = it->second.tries >= per_minute_ ? clients_.erase(it) : std::next(it);
  }
}

std::size_t failure_throttle::tracked() const {
  std::lock_guard lock(mutex_);
  return clients_.size();
}

} // namespace qs::runtime::auth
