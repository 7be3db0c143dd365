// What the scanner's probes need to be written as straight-line code on one
// Asio event loop: stackful coroutines (asio::spawn with guarded stacks), an
// async semaphore that bounds the probes in flight per endpoint, and a way to
// run several coroutines and wait for all of them.
//
// Threads: everything here runs on one io_context's single thread (the
// scanner's); nothing is locked.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/context/protected_fixedsize_stack.hpp>

namespace qs::scanner::net {

namespace asio = boost::asio;
using yield = asio::yield_context;

/// Starts `f` as a coroutine on `ex`, with a 256 KiB guarded stack. An
/// exception that escapes `f` is swallowed (probes report errors as values).
template<class F> void start(asio::any_io_executor ex, F f) {
  asio::spawn(
      ex, std::allocator_arg, boost::context::protected_fixedsize_stack(256 * 1024),
      [f = std::move(f)](yield y) mutable { f(y); }, [](std::exception_ptr) {});
}

/// Permits for `n` coroutines at once.
class limiter {
public:
  limiter(asio::any_io_executor ex, std::size_t n) : ex_(std::move(ex)), free_(n) {}

  void acquire(yield y) {
    if (free_ > 0) {
      --free_;
      return;
    }
    auto waiter = std::make_shared<asio::steady_timer>(ex_, asio::steady_timer::time_point::max());
    waiting_.push_back(waiter);
    boost::system::error_code ec;
    waiter->async_wait(y[ec]); // cancelled by release(): the permit is ours
  }
  void release() {
    if (waiting_.empty()) {
      ++free_;
      return;
    }
    auto next = std::move(waiting_.front());
    waiting_.pop_front();
    next->cancel();
  }

private:
  asio::any_io_executor ex_;
  std::size_t free_;
  std::deque<std::shared_ptr<asio::steady_timer>> waiting_;
};

/// A permit held for a scope.
class permit {
public:
  permit(limiter& l, yield y) : l_(l) { l_.acquire(y); }
  ~permit() { l_.release(); }
  permit(const permit&) = delete;
  permit& operator=(const permit&) = delete;

private:
  limiter& l_;
};

/// A flag coroutines wait for: wait() returns once set() was called.
class event {
public:
  explicit event(asio::any_io_executor ex) : ex_(std::move(ex)) {}

  void wait(yield y) {
    if (set_)
      return;
    auto waiter = std::make_shared<asio::steady_timer>(ex_, asio::steady_timer::time_point::max());
    waiting_.push_back(waiter);
    boost::system::error_code ec;
    waiter->async_wait(y[ec]); // cancelled by set()
  }
  void set() {
    set_ = true;
    for (auto& w : waiting_)
      w->cancel();
    waiting_.clear();
  }

private:
  asio::any_io_executor ex_;
  bool set_ = false;
  std::vector<std::shared_ptr<asio::steady_timer>> waiting_;
};

/// Runs every task as its own coroutine and returns once all have finished.
void run_all(asio::any_io_executor ex, std::vector<std::function<void(yield)>> tasks, yield y);

} // namespace qs::scanner::net
