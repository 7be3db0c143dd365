#include "actors/cluster/remote_roles.hpp"

#include "actors/anomaly/anomaly_shard.hpp"
#include "actors/cluster/wire_codec.hpp"

namespace qs::actors {

namespace {

// Fills a pending answer from a task's result; `decode` turns the body into items.
template<class Outcome, class Map, class Decode>
void finish(Map& pending, const std::string& id, bool ok, const std::string& body, Decode decode) {
  auto it = pending.find(id);
  if (it == pending.end())
    return; // answered already
  auto [indices, promise] = std::move(it->second);
  pending.erase(it);
  Outcome out;
  out.indices = std::move(indices);
  if (!ok) {
    out.error = body;
  } else {
    auto items = decode(body);
    if (auto* why = std::get_if<std::string>(&items))
      out.error = "the node's answer does not decode: " + *why;
    else if (std::get<0>(items).size() != out.indices.size())
      out.error = "the node answered " + std::to_string(std::get<0>(items).size()) + " items for " +
                  std::to_string(out.indices.size()) + " scan results";
    else
      out.items = std::move(std::get<0>(items));
  }
  promise.deliver(std::move(out));
}

} // namespace

caf::behavior remote_roles(caf::stateful_actor<remote_roles_state>* self, remote_roles_config cfg) {
  auto next_id = [self, cfg](const char* role) {
    return cfg.id_prefix + "-" + role + "-" + std::to_string(++self->state.next_id);
  };
  auto deadline = [cfg] { return std::chrono::steady_clock::now() + cfg.task_deadline; };
  return {
      [=](predict_atom, const slice& part) -> caf::result<predictions_outcome> {
        auto id = next_id("predict");
        auto promise = self->make_response_promise<predictions_outcome>();
        self->state.predictions.emplace(id, std::make_pair(part.indices, promise));
        cfg.submit(id, "predictor", wire::encode_task(part), deadline(), "");
        return promise;
      },
      [=](detect_atom, const slice& part) -> caf::result<anomalies_outcome> {
        auto id = next_id("anomaly");
        auto promise = self->make_response_promise<anomalies_outcome>();
        self->state.anomalies.emplace(id, std::make_pair(part.indices, promise));
        const auto& asset = part.work->results[part.indices.front()].asset_id;
        cfg.submit(id, "anomaly", wire::encode_task(part), deadline(),
                   "shard-" + std::to_string(shard_of(asset, cfg.anomaly_shards)));
        return promise;
      },
      [=](store_atom, const batch_ptr& batch) -> caf::result<store_outcome> {
        auto id = next_id("store");
        auto promise = self->make_response_promise<store_outcome>();
        self->state.stores.emplace(id, promise);
        cfg.submit(id, "persistence", wire::encode_batch(*batch), deadline(), "");
        return promise;
      },
      [=](task_done_atom, const std::string& id, bool ok, const std::string& body) {
        auto& st = self->state;
        if (auto it = st.stores.find(id); it != st.stores.end()) {
          auto promise = std::move(it->second);
          st.stores.erase(it);
          promise.deliver(store_outcome{ok ? std::string() : body});
          return;
        }
        finish<predictions_outcome>(st.predictions, id, ok, body, wire::decode_predictions);
        finish<anomalies_outcome>(st.anomalies, id, ok, body, wire::decode_anomalies);
      },
  };
}

} // namespace qs::actors
