// An anomaly shard: owns the recent posture of the assets that hash to it and
// answers `(detect_atom, slice)` with one anomaly answer per scan result, in
// order, judged against the asset's previous scan. A posture it does not hold
// (first sight, or after a restart) is rebuilt from storage. On a cluster node,
// `ring_generation` counts the coordinator's SHARD_MAPs: when it changes, assets may
// have moved away and back, so every cached posture is dropped and rebuilt.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include <caf/all.hpp>

#include "actors/analytics/anomaly_rules.hpp"
#include "runtime/storage/storage.hpp"

namespace qs::actors {

struct anomaly_shard_state {
  std::map<std::string, analytics::posture> postures;
  std::uint64_t generation = 0;
  static inline const char* name = "anomaly-shard";
};

/// At most this many assets are cached per shard; past it the cache is
/// dropped and rebuilt from storage as assets come back.
inline constexpr std::size_t max_cached_assets = 200000;

caf::behavior anomaly_shard(caf::stateful_actor<anomaly_shard_state>* self,
                            std::shared_ptr<runtime::storage::storage> db, bool fault_injection,
                            std::shared_ptr<const std::atomic<std::uint64_t>> ring_generation = {});

/// The shard of an asset: a stable hash (FNV-1a) of its id modulo `shards`.
std::size_t shard_of(const std::string& asset_id, std::size_t shards);

} // namespace qs::actors
