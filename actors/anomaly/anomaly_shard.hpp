// An anomaly shard: owns the state of the assets that hash to it (the posture
// of their last scan for the drift rules, and their metric series with the
// streaming detectors' state) and answers `(detect_atom, slice)` with one
// anomaly answer per scan result, in order. The state is cached per asset,
// least recently used evicted past `max_cached_assets`; an asset it does not
// hold (first sight, evicted, after a restart or a move) is rebuilt by
// replaying its stored scans, which the shard asks of an `asset_loader` and
// awaits (storage never runs on a scheduler thread; the slices of one shard stay
// in order). When storage cannot answer, the scan is judged as on first sight
// and nothing is cached, so the next scan tries again. On a cluster node,
// `ring_generation` counts the coordinator's SHARD_MAPs: after a change, a
// cached asset is kept only when the newest stored scan is still the last one
// this shard saw (the asset did not move away and back); otherwise it is rebuilt.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <list>
#include <memory>
#include <string>
#include <unordered_map>

#include <caf/all.hpp>

#include "actors/analytics/anomaly_rules.hpp"
#include "actors/anomaly/asset_series.hpp"
#include "runtime/storage/executor.hpp"
#include "runtime/storage/stores.hpp"

namespace qs::actors {

struct cached_asset {
  std::string asset_id;
  std::optional<analytics::posture> posture;
  anomaly::asset_series series;
  std::uint64_t generation = 0; ///< ring generation it was last known good at
};

/// A least-recently-used cache of asset states.
class asset_cache {
public:
  explicit asset_cache(std::size_t capacity) : capacity_(capacity) {}
  /// The asset's state, made the most recent; nullptr when absent.
  cached_asset* find(const std::string& asset_id);
  /// Stores `state` as the most recent, evicting the least recent past capacity.
  cached_asset& put(cached_asset state);
  void erase(const std::string& asset_id);
  std::size_t size() const { return index_.size(); }

private:
  std::size_t capacity_;
  std::list<cached_asset> order_; ///< most recent first
  std::unordered_map<std::string, std::list<cached_asset>::iterator> index_;
};

/// At most this many assets are cached per shard (about 8 KB each).
inline constexpr std::size_t max_cached_assets = 10000;

struct anomaly_shard_state {
  asset_cache assets{max_cached_assets};
  static inline const char* name = "anomaly-shard";
};

struct anomaly_shard_config {
  /// Where the shard's own asset_loader (linked to it) reads; null: no storage,
  /// every asset starts fresh.
  std::shared_ptr<runtime::storage::history_store> history;
  std::shared_ptr<runtime::storage::executor> threads;
  std::chrono::milliseconds load_timeout{2000};
  bool fault_injection = false;
  std::shared_ptr<const std::atomic<std::uint64_t>> ring_generation; ///< cluster nodes only
};

caf::behavior anomaly_shard(caf::stateful_actor<anomaly_shard_state>* self,
                            anomaly_shard_config cfg);

/// The shard of an asset: a stable hash (FNV-1a) of its id modulo `shards`.
std::size_t shard_of(const std::string& asset_id, std::size_t shards);

} // namespace qs::actors
