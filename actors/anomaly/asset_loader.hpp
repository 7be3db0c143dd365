// Rebuilds anomaly shards' asset states from storage off the scheduler threads: a
// shard asks `(load_atom, requests)` and awaits the answer (so its assets' scans
// stay in order); the loader runs the storage reads on a storage executor and
// answers one `loaded_asset` per request, in order.
//
// For an asset the shard still holds after the anomaly ring changed, the request
// carries the last timestamp the shard saw: when storage's newest scan of the
// asset is that one, the held state is still its whole history (`current`), and
// nothing is replayed.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <caf/all.hpp>

#include "actors/anomaly/series_history.hpp"
#include "runtime/storage/executor.hpp"
#include "runtime/storage/stores.hpp"

namespace qs::actors {

using load_atom = caf::atom_constant<caf::atom("load")>;
using loaded_atom = caf::atom_constant<caf::atom("loaded")>;

struct load_request {
  std::string asset_id;
  /// Set when the shard holds a state: the timestamp of the last scan it saw, and
  /// how many scans it saw.
  std::optional<std::string> held_timestamp;
  std::size_t held_scans = 0;
};

struct loaded_asset {
  bool current = false; ///< the held state is still the asset's whole history
  std::optional<anomaly::replayed_asset> rebuilt;
  std::optional<qs::error> failure; ///< storage could not say
};

using load_requests = std::vector<load_request>;
using loaded_assets = std::vector<loaded_asset>;

struct asset_loader_state {
  std::uint64_t next_id = 0;
  std::map<std::uint64_t, caf::typed_response_promise<loaded_assets>> waiting;
  static inline const char* name = "asset-loader";
};

caf::behavior asset_loader(caf::stateful_actor<asset_loader_state>* self,
                           std::shared_ptr<runtime::storage::history_store> history,
                           std::shared_ptr<runtime::storage::executor> pool);

} // namespace qs::actors

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(qs::actors::load_requests)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(qs::actors::loaded_assets)
