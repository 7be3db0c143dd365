#include "actors/coordinator/coordinator.hpp"

#include <map>

#include "actors/anomaly/anomaly_shard.hpp"
#include "actors/bridge/answer_builder.hpp"
#include "actors/coordinator/train_answer.hpp"

namespace qs::actors {

namespace {

// What one job is waiting for, shared by the callbacks that fill it in.
struct gather {
  job_ptr work;
  job_answers answers;
  std::size_t pending = 0;
  std::vector<std::string> failures;
  caf::typed_response_promise<job_outcome> rp;
};
using gather_ptr = std::shared_ptr<gather>;

void store_and_reply(caf::stateful_actor<coordinator_state>* self, const coordinator_config& cfg,
                     gather_ptr g, runtime::storage::write_batch batch, std::string body) {
  auto shared = std::make_shared<const runtime::storage::write_batch>(std::move(batch));
  self->request(cfg.persistence, caf::infinite, store_atom::value, batch_ptr{shared})
      .then(
          [g, body = std::move(body)](store_outcome& stored) mutable {
            job_outcome out;
            if (stored.error) {
              out.failure = "persistence: " + stored.error->message;
            } else {
              out.body = std::move(body);
            }
            g->rp.deliver(std::move(out));
          },
          [self, g](caf::error& err) mutable {
            job_outcome out;
            out.failure = "persistence did not answer: " + self->system().render(err);
            g->rp.deliver(std::move(out));
          });
}

void finish(caf::stateful_actor<coordinator_state>* self, const coordinator_config& cfg,
            gather_ptr g) {
  const auto& work = *g->work;
  if (!g->failures.empty()) {
    job_outcome out;
    for (std::size_t i = 0; i < g->failures.size(); ++i)
      out.failure += (i ? "; " : "") + g->failures[i];
    g->rp.deliver(std::move(out));
    return;
  }
  auto built = build_answer(work, g->answers, cfg.weights);
  store_and_reply(self, cfg, std::move(g), std::move(built.batch), std::move(built.body));
}

// Records a role's failure only when the answer needs that role.
void note_failure(gather& g, bool needed, const std::string& role, const std::string& why) {
  if (needed)
    g.failures.push_back(role + ": " + why);
}

void run_train(caf::stateful_actor<coordinator_state>* self, const coordinator_config& cfg,
               gather_ptr g) {
  auto batch = training_batch(*g->work);
  auto body = train_answer_body(*g->work, batch);
  if (!g->work->idempotency_key.empty())
    batch.answer = runtime::storage::idempotent_answer{g->work->idempotency_key, g->work->route,
                                                       200, body, g->work->idempotency_fingerprint};
  store_and_reply(self, cfg, std::move(g), std::move(batch), std::move(body));
}

} // namespace

caf::behavior coordinator(caf::stateful_actor<coordinator_state>* self, coordinator_config cfg) {
  return {
      [=](analyze_atom, const job_ptr& work) -> caf::result<job_outcome> {
        auto g = std::make_shared<gather>();
        g->work = work;
        g->rp = self->make_response_promise<job_outcome>();
        if (work->op == operation::train) {
          run_train(self, cfg, g);
          return g->rp;
        }
        const std::size_t n = work->results.size();
        g->answers.predictions.resize(n);
        g->answers.anomalies.resize(n);
        if (n == 0) {
          finish(self, cfg, g);
          return g->rp;
        }
        const bool need_predictions = work->op != operation::detect_anomalies;
        const bool need_anomalies = work->op != operation::predict;

        auto done_one = [=] {
          if (--g->pending == 0)
            finish(self, cfg, g);
        };
        // Predictor slices of up to `slice_size` results.
        std::vector<slice> predictor_slices;
        for (std::size_t begin = 0; begin < n; begin += cfg.slice_size) {
          slice s{work, {}};
          for (std::size_t i = begin; i < std::min(n, begin + cfg.slice_size); ++i)
            s.indices.push_back(i);
          predictor_slices.push_back(std::move(s));
        }
        // Anomaly slices: one per group (shard, or owner node), in request order.
        std::map<std::size_t, slice> shard_slices;
        for (std::size_t i = 0; i < n; ++i) {
          const auto& asset = work->results[i].asset_id;
          const std::size_t group = cfg.anomaly_group ? cfg.anomaly_group(asset)
                                                      : shard_of(asset, cfg.anomaly_shard_count);
          auto [it, added] = shard_slices.try_emplace(group, slice{work, {}});
          it->second.indices.push_back(i);
        }
        g->pending = predictor_slices.size();
        g->pending += shard_slices.size();

        for (auto& s : predictor_slices)
          self->request(cfg.predictors, caf::infinite, predict_atom::value, std::move(s))
              .then(
                  [=](predictions_outcome& out) {
                    if (!out.error.empty())
                      note_failure(*g, need_predictions, "predictor", out.error);
                    else
                      for (std::size_t k = 0; k < out.indices.size(); ++k)
                        g->answers.predictions[out.indices[k]] = std::move(out.items[k]);
                    done_one();
                  },
                  [=](caf::error& err) {
                    note_failure(*g, need_predictions, "predictor", self->system().render(err));
                    done_one();
                  });
        for (auto& [group, s] : shard_slices) {
          self->request(cfg.anomaly_shards, caf::infinite, detect_atom::value, std::move(s))
              .then(
                  [=](anomalies_outcome& out) {
                    if (!out.error.empty())
                      note_failure(*g, need_anomalies, "anomaly", out.error);
                    else
                      for (std::size_t k = 0; k < out.indices.size(); ++k)
                        g->answers.anomalies[out.indices[k]] = std::move(out.items[k]);
                    done_one();
                  },
                  [=](caf::error& err) {
                    note_failure(*g, need_anomalies, "anomaly", self->system().render(err));
                    done_one();
                  });
        }
        return g->rp;
      },
  };
}

} // namespace qs::actors
