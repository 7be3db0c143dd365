#include "actors/cluster/task_runner.hpp"

#include "actors/anomaly/anomaly_shard.hpp"
#include "actors/cluster/wire_codec.hpp"

#include <functional>
#include <map>
#include <memory>

namespace qs::actors {

namespace {

// Runs a predictor or anomaly task on `target` and encodes its items. The slice is
// split by `part_of(asset_id)` first: a keyed pool routes a slice by its first asset,
// so each part must hold the assets of one local shard only.
template<class Atom, class Outcome, class Encode>
void run_slice(caf::event_based_actor* self, const caf::actor& target, const std::string& body,
               const wire_reply& reply, Encode encode,
               const std::function<std::size_t(const std::string&)>& part_of) {
  auto decoded = wire::decode_task(body);
  if (auto* why = std::get_if<std::string>(&decoded))
    return (*reply)(false, "the task does not decode: " + *why);
  slice whole = std::move(std::get<slice>(decoded));
  std::map<std::size_t, slice> parts;
  for (auto i : whole.indices) {
    const std::size_t part = part_of ? part_of(whole.work->results[i].asset_id) : 0;
    parts.try_emplace(part, slice{whole.work, {}}).first->second.indices.push_back(i);
  }
  struct gather {
    std::vector<typename decltype(Outcome::items)::value_type> items;
    std::size_t pending = 0;
    std::string error;
  };
  auto g = std::make_shared<gather>();
  g->items.resize(whole.indices.size());
  g->pending = parts.size();
  auto done = [g, reply, encode](const std::string& error) {
    if (!error.empty() && g->error.empty())
      g->error = error;
    if (--g->pending > 0)
      return;
    if (g->error.empty())
      (*reply)(true, encode(g->items));
    else
      (*reply)(false, g->error);
  };
  for (auto& [part, s] : parts)
    self->request(target, caf::infinite, Atom::value, std::move(s))
        .then(
            [g, done](Outcome& out) {
              for (std::size_t k = 0; k < out.indices.size() && k < out.items.size(); ++k)
                g->items[out.indices[k]] = std::move(out.items[k]);
              done(out.error);
            },
            [self, done](caf::error& err) { done(self->system().render(err)); });
}

} // namespace

caf::behavior task_runner(caf::event_based_actor* self, task_runner_config cfg) {
  return {
      [=](run_task_atom, const std::string& role, const std::string& body,
          const wire_reply& reply) {
        if (role == "predictor" && cfg.predictors)
          return run_slice<predict_atom, predictions_outcome>(self, cfg.predictors, body, reply,
                                                              wire::encode_predictions, {});
        if (role == "anomaly" && cfg.anomaly_shards)
          return run_slice<detect_atom, anomalies_outcome>(
              self, cfg.anomaly_shards, body, reply, wire::encode_anomalies,
              [n = cfg.local_shards](const std::string& asset) { return shard_of(asset, n); });
        if (role == "persistence" && cfg.persistence) {
          auto decoded = wire::decode_batch(body);
          if (auto* why = std::get_if<std::string>(&decoded))
            return (*reply)(false, "the batch does not decode: " + *why);
          auto batch = std::make_shared<const runtime::storage::write_batch>(
              std::move(std::get<runtime::storage::write_batch>(decoded)));
          self->request(cfg.persistence, caf::infinite, store_atom::value, batch_ptr{batch})
              .then(
                  [reply](store_outcome& out) { (*reply)(out.error.empty(), out.error); },
                  [self, reply](caf::error& err) { (*reply)(false, self->system().render(err)); });
          return;
        }
        (*reply)(false, "this node does not run the " + role + " role");
      },
  };
}

} // namespace qs::actors
