// The state of each role in this node ("ok", "degraded", "down") with the
// reason, as the health and status routes report it. Shared mutable state:
// written by supervisors and the bridge, read by HTTP handlers; guarded.
#pragma once

#include <map>
#include <mutex>
#include <string>

namespace qs::actors {

struct role_state {
  std::string state = "ok"; ///< "ok", "degraded", "down"
  std::string reason;
};

class role_health {
public:
  void set(const std::string& role, std::string state, std::string reason = {}) {
    std::lock_guard<std::mutex> guard(mutex_);
    roles_[role] = role_state{std::move(state), std::move(reason)};
  }

  std::map<std::string, role_state> snapshot() const {
    std::lock_guard<std::mutex> guard(mutex_);
    return roles_;
  }

private:
  mutable std::mutex mutex_;
  std::map<std::string, role_state> roles_; // GUARDED_BY(mutex_)
};

/// The board of this process.
inline role_health& health_board() {
  static role_health board;
  return board;
}

} // namespace qs::actors
