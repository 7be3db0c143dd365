// The bridge's memory of idempotent answers it gave: a retry with the same
// Idempotency-Key that reaches the same bridge is answered without asking storage;
// any other is looked up once (a round trip to a persistence node in a cluster).
// Answers are immutable once stored, so a cached one is never stale. Least
// recently used entries go first past a byte budget.
//
// Threads: any; one mutex.
#pragma once

#include <cstddef>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "runtime/storage/records.hpp"

namespace qs::actors {

class answer_cache {
public:
  explicit answer_cache(std::size_t max_bytes) : max_bytes_(max_bytes) {}

  std::optional<runtime::storage::idempotent_answer> find(const std::string& key);
  /// Keeps `answer` (under its key) unless it alone exceeds the budget.
  void put(runtime::storage::idempotent_answer answer);

private:
  static std::size_t cost(const runtime::storage::idempotent_answer& a) {
    return a.key.size() + a.route.size() + a.body.size() + a.fingerprint.size() + 64;
  }
  const std::size_t max_bytes_;
  std::mutex mutex_;
  std::list<runtime::storage::idempotent_answer> order_; // GUARDED_BY(mutex_), most recent first
  std::unordered_map<std::string, std::list<runtime::storage::idempotent_answer>::iterator>
      index_;             // GUARDED_BY(mutex_)
  std::size_t bytes_ = 0; // GUARDED_BY(mutex_)
};

} // namespace qs::actors
