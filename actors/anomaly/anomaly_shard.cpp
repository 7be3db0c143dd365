#include "actors/anomaly/anomaly_shard.hpp"

#include <map>
#include <set>

#include "actors/anomaly/asset_loader.hpp"
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

std::size_t shard_of(const std::string& asset_id, std::size_t shards) {
  std::uint64_t hash = 1469598103934665603ull;
  for (unsigned char c : asset_id) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return shards == 0 ? 0 : static_cast<std::size_t>(hash % shards);
}

namespace {

// One anomaly answer per scan result of `task`, from (and updating) the cached
// states; an asset without one starts fresh, cached only when `cache_fresh`.
anomalies_outcome judge(caf::stateful_actor<anomaly_shard_state>* self, const slice& task,
                        std::uint64_t generation, bool cache_fresh) {
  auto& assets = self->state.assets;
  anomalies_outcome out;
  out.indices = task.indices;
  out.items.reserve(task.indices.size());
  std::map<std::string, cached_asset> uncached;
  for (auto i : task.indices) {
    const auto& result = task.work->results[i];
    cached_asset* state = assets.find(result.asset_id);
    if (state && state->generation != generation)
      state = nullptr; // its load failed: judge it as on first sight, as storage could not say
    if (!state) {
      cached_asset fresh{result.asset_id, std::nullopt, {}, generation};
      state = cache_fresh ? &assets.put(std::move(fresh))
                          : &uncached.try_emplace(result.asset_id, std::move(fresh)).first->second;
    }
    auto rules = analytics::detect_anomalies(result, state->posture);
    auto scores = state->series.update(result);
    out.items.push_back(
        anomaly::with_series_alerts(std::move(rules), result, scores, state->series.scans()));
    state->posture = analytics::summarize(result);
  }
  return out;
}

} // namespace

caf::behavior anomaly_shard(caf::stateful_actor<anomaly_shard_state>* self,
                            anomaly_shard_config cfg) {
  caf::actor loader;
  if (cfg.history)
    loader = self->spawn<caf::linked>(asset_loader, cfg.history, cfg.threads);
  return {
      [=](detect_atom, const slice& task) -> caf::result<anomalies_outcome> {
        maybe_crash(cfg.fault_injection, task, "crash-anomaly");
        const std::uint64_t generation = cfg.ring_generation ? cfg.ring_generation->load() : 0;
        if (!loader)
          return judge(self, task, generation, true);
        // The assets to read from storage: not held, or held from before the ring changed.
        load_requests requests;
        std::set<std::string> asked;
        for (auto i : task.indices) {
          const auto& asset = task.work->results[i].asset_id;
          if (!asked.insert(asset).second)
            continue;
          const cached_asset* held = self->state.assets.find(asset);
          if (held && held->generation == generation)
            continue;
          load_request r{asset, std::nullopt, 0};
          if (held) {
            r.held_timestamp = held->series.last_timestamp();
            r.held_scans = held->series.scans();
          }
          requests.push_back(std::move(r));
        }
        if (requests.empty())
          return judge(self, task, generation, true);
        auto promise = self->make_response_promise<anomalies_outcome>();
        self->request(loader, cfg.load_timeout, load_atom::value, requests)
            .await(
                [=](loaded_assets& loaded) mutable {
                  auto& assets = self->state.assets;
                  bool all_read = true;
                  for (std::size_t k = 0; k < requests.size() && k < loaded.size(); ++k) {
                    auto& l = loaded[k];
                    const auto& asset = requests[k].asset_id;
                    if (l.failure) {
                      all_read = false;
                      assets.erase(asset);
                    } else if (l.current) {
                      if (auto* held = assets.find(asset))
                        held->generation = generation;
                    } else if (l.rebuilt) {
                      assets.put({asset, std::move(l.rebuilt->posture),
                                  std::move(l.rebuilt->series), generation});
                    }
                  }
                  promise.deliver(judge(self, task, generation, all_read));
                },
                [=](caf::error&) mutable {
                  for (const auto& r : requests)
                    self->state.assets.erase(r.asset_id);
                  promise.deliver(judge(self, task, generation, false));
                });
        return promise;
      },
  };
}

} // namespace qs::actors
