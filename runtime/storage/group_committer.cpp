#include "runtime/storage/group_committer.hpp"

#include <utility>
#include <vector>

namespace qs::runtime::storage {

namespace {

void call(const group_committer::callback& done, const expected<void>& outcome) {
  if (!done)
    return;
  try {
    done(outcome);
  } catch (...) {
    // A callback must not throw; keep the writer thread alive if one does.
  }
}

} // namespace

group_committer::group_committer(std::shared_ptr<batch_writer> db, std::size_t max_group)
    : db_(std::move(db)), max_group_(max_group == 0 ? 1 : max_group) {
  writer_ = std::thread([this] { run(); });
}

group_committer::~group_committer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  writer_.join();
}

void group_committer::submit(write_batch batch, callback done) {
  {
    std::lock_guard lock(mutex_);
    if (!stopping_) {
      queue_.emplace_back(std::move(batch), std::move(done));
      ++submitted_;
      wake_.notify_one();
      return;
    }
  }
  call(done, qs::error(errc::unavailable, "cannot store: the group committer is shutting down"));
}

void group_committer::flush() {
  std::unique_lock lock(mutex_);
  const std::uint64_t ticket = submitted_;
  drained_.wait(lock, [&] { return finished_ >= ticket; });
}

std::size_t group_committer::queue_depth() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

std::uint64_t group_committer::commits() const {
  std::lock_guard lock(mutex_);
  return commits_;
}

void group_committer::run() {
  std::vector<std::pair<write_batch, callback>> group;
  std::vector<const write_batch*> batches;
  std::vector<expected<void>> outcomes;
  for (;;) {
    group.clear();
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty())
        return; // stopping, and everything is committed
      while (!queue_.empty() && group.size() < max_group_) {
        group.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
      busy_ = true;
    }

    batches.clear();
    for (const auto& item : group)
      batches.push_back(&item.first);
    outcomes.assign(group.size(), expected<void>());
    std::uint64_t committed = 0;
    if (db_->write_many(batches)) {
      committed = 1;
    } else {
      // Retry one by one so that one bad batch fails only itself.
      for (std::size_t i = 0; i < group.size(); ++i) {
        outcomes[i] = db_->write(group[i].first);
        if (outcomes[i])
          ++committed;
      }
    }
    {
      std::lock_guard lock(mutex_);
      commits_ += committed;
    }
    for (std::size_t i = 0; i < group.size(); ++i)
      call(group[i].second, outcomes[i]);
    {
      std::lock_guard lock(mutex_);
      busy_ = false;
      finished_ += group.size();
    }
    drained_.notify_all();
  }
}

} // namespace qs::runtime::storage
