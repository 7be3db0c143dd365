#include "actors/anomaly/anomaly_shard.hpp"

#include "actors/predictor/fault_injection.hpp"
#include "protocol/json_input.hpp"
#include "protocol/scan_result_codec.hpp"

namespace qs::actors {

namespace {

// The posture of an asset's newest stored scan, if storage has one.
std::optional<analytics::posture> stored_posture(runtime::storage::storage& db,
                                                 const std::string& asset_id) {
  auto latest = db.latest(asset_id);
  if (!latest || !*latest)
    return std::nullopt;
  auto parsed = protocol::parse_json((*latest)->scan_result);
  if (auto* doc = std::get_if<boost::json::value>(&parsed)) {
    protocol::problems errors;
    std::vector<std::string> warnings;
    auto result = protocol::decode_scan_result(std::move(*doc), "stored", {}, errors, warnings);
    if (errors.empty())
      return analytics::summarize(result);
  }
  return std::nullopt;
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
        auto& postures = self->state.postures;
        if (ring_generation && ring_generation->load() != self->state.generation) {
          postures.clear();
          self->state.generation = ring_generation->load();
        }
        anomalies_outcome out;
        out.indices = task.indices;
        out.items.reserve(task.indices.size());
        for (auto i : task.indices) {
          const auto& result = task.work->results[i];
          std::optional<analytics::posture> previous;
          if (auto it = postures.find(result.asset_id); it != postures.end())
            previous = it->second;
          else if (db)
            previous = stored_posture(*db, result.asset_id);
          out.items.push_back(analytics::detect_anomalies(result, previous));
          if (postures.size() >= max_cached_assets)
            postures.clear();
          postures[result.asset_id] = analytics::summarize(result);
        }
        return out;
      },
  };
}

} // namespace qs::actors
