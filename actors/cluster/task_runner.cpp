#include "actors/cluster/task_runner.hpp"

#include <map>
#include <memory>

#include "actors/anomaly/anomaly_shard.hpp"
#include "actors/cluster/scan_task_codec.hpp"
#include "actors/cluster/wire_codec.hpp"

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

task_handler predictor_tasks(caf::actor predictors) {
  return
      [predictors](caf::event_based_actor* self, const std::string& body, const wire_reply& reply) {
        run_slice<predict_atom, predictions_outcome>(self, predictors, body, reply,
                                                     wire::encode_predictions, {});
      };
}

task_handler anomaly_tasks(caf::actor shards, std::size_t local_shards) {
  return [shards, local_shards](caf::event_based_actor* self, const std::string& body,
                                const wire_reply& reply) {
    run_slice<detect_atom, anomalies_outcome>(
        self, shards, body, reply, wire::encode_anomalies,
        [local_shards](const std::string& asset) { return shard_of(asset, local_shards); });
  };
}

task_handler persistence_tasks(caf::actor persistence) {
  return [persistence](caf::event_based_actor* self, const std::string& body,
                       const wire_reply& reply) {
    auto decoded = wire::decode_batch(body);
    if (auto* why = std::get_if<std::string>(&decoded))
      return (*reply)(false, "the batch does not decode: " + *why);
    auto batch = std::make_shared<const runtime::storage::write_batch>(
        std::move(std::get<runtime::storage::write_batch>(decoded)));
    self->request(persistence, caf::infinite, store_atom::value, batch_ptr{batch})
        .then([reply](store_outcome& out) { (*reply)(out.error.empty(), out.error); },
              [self, reply](caf::error& err) { (*reply)(false, self->system().render(err)); });
  };
}

task_handler scanner_tasks(caf::actor scanner) {
  return [scanner](caf::event_based_actor* self, const std::string& body, const wire_reply& reply) {
    auto decoded = wire::decode_scan_task(body);
    if (auto* why = std::get_if<std::string>(&decoded))
      return (*reply)(false, "the scan task does not decode: " + *why);
    self->request(scanner, caf::infinite, scan_atom::value,
                  std::get<scan_chunk>(std::move(decoded)))
        .then(
            [reply](scan_chunk_outcome& out) {
              if (out.error.empty())
                (*reply)(true, wire::encode_scan_results(out.results));
              else
                (*reply)(false, out.error);
            },
            [self, reply](caf::error& err) { (*reply)(false, self->system().render(err)); });
  };
}

caf::behavior task_runner(caf::event_based_actor* self, task_runner_config cfg) {
  return {
      [=](run_task_atom, const std::string& role, const std::string& body,
          const wire_reply& reply) {
        const auto known = protocol::role_named(role);
        const auto handler = known ? cfg.handlers.find(*known) : cfg.handlers.end();
        if (handler == cfg.handlers.end())
          return (*reply)(false, "this node does not run the " + role + " role");
        handler->second(self, body, reply);
      },
  };
}

} // namespace qs::actors
