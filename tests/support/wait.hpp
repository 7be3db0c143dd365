// Waiting on a condition with a deadline, for tests that must not sleep a
// fixed time.
#pragma once

#include <chrono>
#include <thread>

namespace qs::test {

/// Polls `cond` every 10 ms until it holds (true) or `deadline` passes (false;
/// `cond` is checked one last time).
template<class F> bool wait_until(F cond, std::chrono::milliseconds deadline) {
  auto until = std::chrono::steady_clock::now() + deadline;
  while (!cond()) {
    if (std::chrono::steady_clock::now() >= until)
      return static_cast<bool>(cond());
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

} // namespace qs::test
