// Group commit: callers submit write batches from any thread; one writer thread
// commits everything that is waiting in a single transaction, then calls each
// batch's callback (on the writer thread) with the outcome. A batch's callback
// runs only after its records are durable, or with the error that stopped them.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "runtime/storage/storage.hpp"

namespace qs::runtime::storage {

class group_committer {
public:
  /// `error` is "" on success.
  using callback = std::function<void(const std::string& error)>;

  /// `max_group`: most batches per transaction.
  group_committer(storage& db, std::size_t max_group = 512);
  ~group_committer(); ///< flushes what is queued, then joins

  group_committer(const group_committer&) = delete;
  group_committer& operator=(const group_committer&) = delete;

  void submit(write_batch batch, callback done);

  /// Blocks until everything submitted so far is committed.
  void flush();

  std::size_t queue_depth() const;
  std::uint64_t commits() const;

private:
  void run();

  storage& db_;
  const std::size_t max_group_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable drained_;
  std::deque<std::pair<write_batch, callback>> queue_; // GUARDED_BY(mutex_)
  bool busy_ = false;                                  // GUARDED_BY(mutex_)
  bool stopping_ = false;                              // GUARDED_BY(mutex_)
  std::uint64_t commits_ = 0;                          // GUARDED_BY(mutex_)
  std::thread writer_;
};

} // namespace qs::runtime::storage
