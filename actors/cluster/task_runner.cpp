#include "actors/cluster/task_runner.hpp"

#include "actors/cluster/wire_codec.hpp"

namespace qs::actors {

namespace {

// Runs a predictor or anomaly task on `target` and encodes its items.
template<class Atom, class Outcome, class Encode>
void run_slice(caf::event_based_actor* self, const caf::actor& target, const std::string& body,
               const wire_reply& reply, Encode encode) {
  auto decoded = wire::decode_task(body);
  if (auto* why = std::get_if<std::string>(&decoded))
    return (*reply)(false, "the task does not decode: " + *why);
  self->request(target, caf::infinite, Atom::value, std::move(std::get<slice>(decoded)))
      .then(
          [reply, encode](Outcome& out) {
            if (!out.error.empty())
              (*reply)(false, out.error);
            else
              (*reply)(true, encode(out.items));
          },
          [self, reply](caf::error& err) { (*reply)(false, self->system().render(err)); });
}

} // namespace

caf::behavior task_runner(caf::event_based_actor* self, task_runner_config cfg) {
  return {
      [=](run_task_atom, const std::string& role, const std::string& body,
          const wire_reply& reply) {
        if (role == "predictor" && cfg.predictors)
          return run_slice<predict_atom, predictions_outcome>(self, cfg.predictors, body, reply,
                                                              wire::encode_predictions);
        if (role == "anomaly" && cfg.anomaly_shards)
          return run_slice<detect_atom, anomalies_outcome>(self, cfg.anomaly_shards, body, reply,
                                                           wire::encode_anomalies);
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
