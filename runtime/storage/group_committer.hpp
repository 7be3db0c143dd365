// Group commit: callers submit write batches from any thread; one writer thread
// commits everything that is waiting in a single transaction, then calls each
// batch's callback (on the writer thread) with the outcome. A batch's callback
// runs only after its records are durable, or with the error that stopped them.
//
// Threads: `submit`, `flush`, `queue_depth` and `commits` may be called from any
// thread, except that a callback must not call `flush` (it runs on the writer
// thread, which `flush` waits for) and must not throw (an exception it throws
// is swallowed). If a group's transaction fails, its batches are retried one
// by one, so one bad batch fails only itself. Callbacks run in submit order.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "runtime/storage/stores.hpp"

namespace qs::runtime::storage {

class group_committer {
public:
  using callback = std::function<void(const expected<void>& outcome)>;

  /// `max_group`: most batches per transaction.
  group_committer(std::shared_ptr<batch_writer> db, std::size_t max_group = 512);
  ~group_committer(); ///< flushes what is queued, then joins

  group_committer(const group_committer&) = delete;
  group_committer& operator=(const group_committer&) = delete;

  /// Queues `batch`; `done` runs on the writer thread once it is committed or
  /// failed. During destruction, `done` runs at once with an error.
  void submit(write_batch batch, callback done);

  /// Blocks until everything submitted so far is committed and its callbacks
  /// have run.
  void flush();

  /// Batches waiting for the writer (not counting the group being committed).
  std::size_t queue_depth() const;

  /// Transactions committed so far (a group, or one batch of a retried group).
  std::uint64_t commits() const;

private:
  void run();

  const std::shared_ptr<batch_writer> db_;
  const std::size_t max_group_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable drained_;
  std::deque<std::pair<write_batch, callback>> queue_; // GUARDED_BY(mutex_)
  bool busy_ = false;                                  // GUARDED_BY(mutex_)
  bool stopping_ = false;                              // GUARDED_BY(mutex_)
  std::uint64_t commits_ = 0;                          // GUARDED_BY(mutex_)
  std::uint64_t submitted_ = 0;                        // GUARDED_BY(mutex_)
  std::uint64_t finished_ = 0; // GUARDED_BY(mutex_); callbacks run, in submit order
  std::thread writer_;
};

} // namespace qs::runtime::storage
