// The threads that make storage calls, which block (on the database, or on a round
// trip to a persistence node), so that they never hold an HTTP I/O thread or a CAF
// scheduler thread. A fixed pool with a bounded queue: when it is full, `post`
// says so at once and the caller answers "overloaded" instead of queueing without
// end.
//
// Threads: `post` and `queued` from any thread; the destructor (from the owner,
// not from a task) runs what is queued, then joins.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace qs::runtime::storage {

class executor {
public:
  executor(std::size_t threads, std::size_t max_queued);
  ~executor();
  executor(const executor&) = delete;
  executor& operator=(const executor&) = delete;

  /// Queues `work`; false (and `work` is dropped) when the queue is full or the
  /// executor is stopping. `work` must not throw.
  bool post(std::function<void()> work);

  std::size_t queued() const;

private:
  void run();

  const std::size_t max_queued_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> queue_; // GUARDED_BY(mutex_)
  bool stopping_ = false;                   // GUARDED_BY(mutex_)
  std::vector<std::thread> threads_;
};

} // namespace qs::runtime::storage
