// The state of each role in one node ("ok", "degraded", "down") with the
// reason, as the health and status routes report it. Each node makes one board
// (nodes/serve_command.cpp, nodes/node_command.cpp) and hands it, as a
// shared_ptr, to its pools, its HTTP API and its set-up; two nodes in one
// process have two boards. Shared mutable state: written by supervisors and the
// node's set-up, read by HTTP handlers; guarded. @threadsafe
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

} // namespace qs::actors
