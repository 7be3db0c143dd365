#include "actors/anomaly/anomaly_shard.hpp"

#include "actors/anomaly/series_history.hpp"
#include "actors/predictor/fault_injection.hpp"

namespace qs::actors {

cached_asset* asset_cache::find(const std::string& asset_id) {
  auto it = index_.find(asset_id);
  if (it == index_.end())
    return nullptr;
  order_.splice(order_.begin(), order_, it->second);
  return &*it->second;
}

cached_asset& asset_cache::put(cached_asset state) {
  erase(state.asset_id);
  order_.push_front(std::move(state));
  index_[order_.front().asset_id] = order_.begin();
  while (index_.size() > capacity_) {
    index_.erase(order_.back().asset_id);
    order_.pop_back();
  }
  return order_.front();
}

void asset_cache::erase(const std::string& asset_id) {
  if (auto it = index_.find(asset_id); it != index_.end()) {
    order_.erase(it->second);
    index_.erase(it);
  }
}

namespace {

// The asset's state rebuilt from its stored scans (fresh when there are none or
// storage cannot be read: the rules then answer as on first sight).
cached_asset rebuilt(runtime::storage::storage* db, const std::string& asset_id,
                     std::uint64_t generation) {
  cached_asset state{asset_id, std::nullopt, {}, generation};
  if (db)
    if (auto replay = anomaly::replay_history(*db, asset_id)) {
      state.series = std::move(replay->series);
      state.posture = std::move(replay->posture);
    }
  return state;
}

// Is the cached state still the asset's whole history? True when storage's
// newest scan of the asset is the last one the state saw.
bool still_current(runtime::storage::storage* db, const cached_asset& state) {
  if (!db)
    return true;
  auto latest = db->latest(state.asset_id);
  if (!latest)
    return false;
  if (!*latest)
    return state.series.scans() == 0;
  return (*latest)->scan_timestamp == state.series.last_timestamp();
}

} // namespace

std::size_t shard_of(const std::string& asset_id, std::size_t shards) {
  std::uint64_t hash = 1469598103934665603ull;
  for (unsigned char c : asset_id) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return shards == 0 ? 0 : static_cast<std::size_t>(hash % shards);
}

caf::behavior anomaly_shard(caf::stateful_actor<anomaly_shard_state>* self,
                            std::shared_ptr<runtime::storage::storage> db, bool fault_injection,
                            std::shared_ptr<const std::atomic<std::uint64_t>> ring_generation) {
  return {
      [=](detect_atom, const slice& task) {
        maybe_crash(fault_injection, task, "crash-anomaly");
        auto& assets = self->state.assets;
        const std::uint64_t generation = ring_generation ? ring_generation->load() : 0;
        anomalies_outcome out;
        out.indices = task.indices;
        out.items.reserve(task.indices.size());
        for (auto i : task.indices) {
          const auto& result = task.work->results[i];
          cached_asset* state = assets.find(result.asset_id);
          if (state && state->generation != generation) {
            if (still_current(db.get(), *state))
              state->generation = generation;
            else
              state = nullptr;
          }
          if (!state)
            state = &assets.put(rebuilt(db.get(), result.asset_id, generation));
          auto rules = analytics::detect_anomalies(result, state->posture);
          auto scores = state->series.update(result);
          out.items.push_back(
              anomaly::with_series_alerts(std::move(rules), result, scores, state->series.scans()));
          state->posture = analytics::summarize(result);
        }
        return out;
      },
  };
}

} // namespace qs::actors
