// The persistence actor: answers `(store_atom, batch_ptr)` with a
// store_outcome only once the batch is durable (or failed). Writes go through
// a group committer, so many requests share one transaction and one fsync.
#pragma once

#include <cstdint>
#include <memory>
#include <unordered_map>

#include <caf/all.hpp>

#include "actors/messages.hpp"
#include "runtime/storage/group_committer.hpp"

namespace qs::actors {

struct persistence_state {
  std::shared_ptr<runtime::storage::group_committer> committer;
  std::unordered_map<std::uint64_t, caf::typed_response_promise<store_outcome>> pending;
  std::uint64_t next_id = 0;
  static inline const char* name = "persistence";
};

caf::behavior persistence(caf::stateful_actor<persistence_state>* self,
                          std::shared_ptr<runtime::storage::group_committer> committer);

} // namespace qs::actors
