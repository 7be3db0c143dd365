#include "actors/cluster/task_runner.hpp"

#include <map>
#include <memory>

#include "actors/anomaly/anomaly_shard.hpp"
#include "actors/cluster/request_codec.hpp"
#include "actors/cluster/scan_task_codec.hpp"
#include "actors/cluster/storage_codec.hpp"
#include "actors/cluster/wire_codec.hpp"
#include "runtime/cluster/errc.hpp"

namespace qs::actors {

namespace {

using runtime::cluster::errc;

qs::error failed(const std::string& why) {
  return qs::error(errc::task_failed, why);
}

// Runs a predictor or anomaly task on `target` and encodes its items. The slice is
// split by `part_of(asset_id)` first: a keyed pool routes a slice by its first asset,
// so each part must hold the assets of one local shard only.
template<class Atom, class Outcome, class Encode>
void run_slice(caf::event_based_actor* self, const caf::actor& target, const std::string& payload,
               const wire_reply& reply, Encode encode,
               const std::function<std::size_t(const std::string&)>& part_of) {
  auto decoded = wire::decode_task(payload);
  if (!decoded)
    return (*reply)(decoded.error());
  slice whole = std::move(*decoded);
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
      (*reply)(encode(g->items));
    else
      (*reply)(failed(g->error));
  };
  if (parts.empty())
    return (*reply)(encode(g->items));
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
  return [predictors](caf::event_based_actor* self, const std::string& payload,
                      const wire_reply& reply) {
    run_slice<predict_atom, predictions_outcome>(self, predictors, payload, reply,
                                                 wire::encode_predictions, {});
  };
}

task_handler anomaly_tasks(caf::actor shards, std::size_t local_shards) {
  return [shards, local_shards](caf::event_based_actor* self, const std::string& payload,
                                const wire_reply& reply) {
    run_slice<detect_atom, anomalies_outcome>(
        self, shards, payload, reply, wire::encode_anomalies,
        [local_shards](const std::string& asset) { return shard_of(asset, local_shards); });
  };
}

task_handler persistence_tasks(caf::actor persistence, runtime::storage::stores local,
                               std::shared_ptr<runtime::storage::executor> threads) {
  return [=](caf::event_based_actor* self, const std::string& payload, const wire_reply& reply) {
    auto decoded = wire::decode_persistence_task(payload);
    if (!decoded)
      return (*reply)(decoded.error());
    if (auto* request = std::get_if<runtime::storage::storage_request>(&*decoded)) {
      // A store call: answered on a storage thread with its outcome; a database that
      // is unavailable here fails the task, so that another persistence node tries.
      auto call = [local, request = std::move(*request), reply] {
        auto outcome = runtime::storage::serve(local, request);
        if (!outcome && outcome.error() == runtime::storage::errc::unavailable)
          return (*reply)(outcome.error());
        (*reply)(wire::encode_storage_outcome(outcome));
      };
      if (!threads->post(std::move(call)))
        (*reply)(qs::error(runtime::storage::errc::unavailable,
                           "the persistence node's storage threads are all busy"));
      return;
    }
    auto batch = std::make_shared<const runtime::storage::write_batch>(
        std::get<runtime::storage::write_batch>(std::move(*decoded)));
    self->request(persistence, caf::infinite, store_atom::value, batch_ptr{batch})
        .then(
            [reply](store_outcome& out) {
              if (out.error)
                (*reply)(*out.error); // a storage error stays one across the wire
              else
                (*reply)(wire::encode_done());
            },
            [self, reply](caf::error& err) { (*reply)(failed(self->system().render(err))); });
  };
}

task_handler scanner_tasks(caf::actor scanner) {
  return
      [scanner](caf::event_based_actor* self, const std::string& payload, const wire_reply& reply) {
        auto decoded = wire::decode_scan_task(payload);
        if (!decoded)
          return (*reply)(decoded.error());
        self->request(scanner, caf::infinite, scan_atom::value, std::move(*decoded))
            .then(
                [reply](scan_chunk_outcome& out) {
                  if (out.error.empty())
                    (*reply)(wire::encode_scan_results(out.results));
                  else
                    (*reply)(failed(out.error));
                },
                [self, reply](caf::error& err) { (*reply)(failed(self->system().render(err))); });
      };
}

caf::behavior task_runner(caf::event_based_actor* self, task_runner_config cfg) {
  return {
      [=](run_task_atom, protocol::role role, const std::string& payload, const wire_reply& reply) {
        const auto handler = cfg.handlers.find(role);
        if (handler == cfg.handlers.end())
          return (*reply)(qs::error(errc::role_not_run, "this node does not run the " +
                                                            std::string(protocol::name_of(role)) +
                                                            " role"));
        handler->second(self, payload, reply);
      },
  };
}

} // namespace qs::actors
