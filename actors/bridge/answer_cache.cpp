#include "actors/bridge/answer_cache.hpp"

namespace qs::actors {

std::optional<runtime::storage::idempotent_answer> answer_cache::find(const std::string& key) {
  std::lock_guard lock(mutex_);
  auto it = index_.find(key);
  if (it == index_.end())
    return std::nullopt;
  order_.splice(order_.begin(), order_, it->second);
  return *it->second;
}

void answer_cache::put(runtime::storage::idempotent_answer answer) {
  const std::size_t size = cost(answer);
  if (size > max_bytes_)
    return;
  std::lock_guard lock(mutex_);
  if (index_.count(answer.key) > 0)
    return; // the first answer stays the answer
  order_.push_front(std::move(answer));
  index_.emplace(order_.front().key, order_.begin());
  bytes_ += size;
  while (bytes_ > max_bytes_) {
    bytes_ -= cost(order_.back());
    index_.erase(order_.back().key);
    order_.pop_back();
  }
}

} // namespace qs::actors
