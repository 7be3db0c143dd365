#include "actors/bridge/bridge_actor.hpp"

#include "actors/bridge/answer_builder.hpp"
#include "actors/coordinator/train_answer.hpp"
#include "protocol/answer_codec.hpp"
#include "runtime/metrics/registry.hpp"
#include "runtime/storage/errc.hpp"

namespace qs::actors {

void answer_degraded(const bridge_config& cfg, const job_ptr& work, const std::string& reason,
                     const reply_fn& reply) {
  cfg.metrics->add("qscan_degraded_answers_total");
  std::string body;
  runtime::storage::write_batch batch;
  if (work->op == operation::train) {
    batch = training_batch(*work);
    body = train_answer_body(*work, batch, reason);
    if (!work->idempotency_key.empty())
      batch.answer = runtime::storage::idempotent_answer{work->idempotency_key, work->route, 200,
                                                         body, work->idempotency_fingerprint};
  } else {
    auto answers = answer_locally(*work);
    answers.degraded = true;
    answers.degraded_reasons.push_back(reason);
    auto built = build_answer(*work, answers, cfg.weights);
    body = std::move(built.body);
    batch = std::move(built.batch);
  }
  auto send = [reply, body = std::move(body), reason](const expected<void>& stored) {
    job_outcome out;
    if (stored) {
      out.body = body;
      out.degraded = true;
      out.degraded_reasons.push_back(reason);
    } else {
      out.status = 503;
      out.body = protocol::encode_error("storage_unavailable",
                                        "the answer could not be stored durably: " +
                                            stored.error().message + " (cluster: " + reason + ")");
    }
    (*reply)(std::move(out));
  };
  if (!cfg.fallback_store) {
    send(qs::error(runtime::storage::errc::unavailable, "no storage for degraded answers"));
    return;
  }
  cfg.fallback_store(std::move(batch), std::move(send));
}

caf::behavior bridge_actor(caf::event_based_actor* self, bridge_config cfg) {
  return {
      [=](analyze_atom, const job_ptr& work, const reply_fn& reply) {
        self->request(cfg.coordinator, cfg.deadline, analyze_atom::value, work)
            .then(
                [=](job_outcome& out) {
                  if (out.failure.empty())
                    (*reply)(std::move(out));
                  else
                    answer_degraded(cfg, work, out.failure, reply);
                },
                [=](caf::error& err) {
                  answer_degraded(cfg, work,
                                  "coordinator did not answer within " +
                                      std::to_string(cfg.deadline.count()) +
                                      " ms: " + self->system().render(err),
                                  reply);
                });
      },
  };
}

} // namespace qs::actors
