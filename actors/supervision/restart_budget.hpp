// A restart budget: at most `max_restarts` restarts within a sliding `window`.
// Past it, the supervisor stops restarting and reports the role down instead
// of looping. Pure logic; the caller passes the clock's time.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>

namespace qs::actors {

class restart_budget {
public:
  using clock = std::chrono::steady_clock;

  restart_budget(std::size_t max_restarts, clock::duration window)
      : max_restarts_(max_restarts), window_(window) {}

  /// Records a restart at `now` if the budget allows it; false when exhausted.
  bool try_spend(clock::time_point now) {
    while (!spent_.empty() && now - spent_.front() > window_)
      spent_.pop_front();
    if (spent_.size() >= max_restarts_)
      return false;
    spent_.push_back(now);
    return true;
  }

  std::size_t max_restarts() const { return max_restarts_; }
  clock::duration window() const { return window_; }

private:
  std::size_t max_restarts_;
  clock::duration window_;
  std::deque<clock::time_point> spent_;
};

} // namespace qs::actors
