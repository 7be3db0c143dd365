#include "actors/cluster/request_handler.hpp"

#include <boost/json/parse.hpp>

#include "actors/cluster/scan_task_codec.hpp"
#include "actors/cluster/storage_codec.hpp"
#include "actors/cluster/wire_codec.hpp"
#include "runtime/cluster/errc.hpp"
#include "runtime/storage/requests.hpp"

namespace qs::actors {

namespace {

using protocol::message_type;
using runtime::cluster::errc;

void answer_job(caf::event_based_actor* self, const request_handler_config& cfg,
                const std::string& body, const wire_reply& reply) {
  auto work = wire::decode_job(body, "request_job");
  if (!work)
    return (*reply)(work.error());
  self->request(cfg.coordinator, caf::infinite, analyze_atom::value, *work)
      .then(
          [reply](job_outcome& out) {
            if (!out.failure.empty())
              return (*reply)(qs::error(errc::task_failed, out.failure));
            (*reply)(wire::encode_outcome(out));
          },
          [self, reply](caf::error& err) {
            (*reply)(qs::error(errc::task_failed,
                               "the coordinator actor failed: " + self->system().render(err)));
          });
}

void answer_store(caf::event_based_actor* self, const request_handler_config& cfg,
                  const std::string& body, const wire_reply& reply) {
  auto batch = wire::decode_batch(body, "request_store");
  if (!batch)
    return (*reply)(batch.error());
  auto shared = std::make_shared<const runtime::storage::write_batch>(std::move(*batch));
  self->request(cfg.persistence, caf::infinite, store_atom::value, batch_ptr{shared})
      .then(
          [reply](store_outcome& out) {
            if (out.error)
              return (*reply)(*out.error);
            (*reply)(wire::encode_done());
          },
          [self, reply](caf::error& err) {
            (*reply)(
                qs::error(errc::task_failed, "persistence failed: " + self->system().render(err)));
          });
}

void answer_scan(caf::event_based_actor* self, const request_handler_config& cfg,
                 const std::string& body, const wire_reply& reply) {
  auto submission = wire::decode_scan_submission(body, "request_scan");
  if (!submission)
    return (*reply)(submission.error());
  if (!cfg.scan_jobs)
    return (*reply)(qs::error(errc::not_offered, "this coordinator takes no scans"));
  self->request(cfg.scan_jobs, caf::infinite, scan_atom::value, std::move(*submission))
      .then([reply](scan_submitted& out) { (*reply)(wire::encode_scan_submitted(out)); },
            [self, reply](caf::error& err) {
              (*reply)(qs::error(errc::task_failed,
                                 "the scan jobs failed: " + self->system().render(err)));
            });
}

/// Runs `call` on a storage thread, or answers that none is free.
void off_thread(const request_handler_config& cfg, const wire_reply& reply,
                std::function<void()> call) {
  if (!cfg.storage_threads->post(std::move(call)))
    (*reply)(qs::error(runtime::storage::errc::unavailable,
                       "the coordinator's storage threads are all busy"));
}

void answer_model(const request_handler_config& cfg, const std::string& body,
                  const wire_reply& reply) {
  auto asked = wire::decode_model_request(body);
  if (!asked)
    return (*reply)(asked.error());
  off_thread(cfg, reply, [models = cfg.stores.models, have = asked->have, reply] {
    auto latest = models->latest_model("threat_predictor");
    if (!latest)
      return (*reply)(latest.error());
    if (!*latest || (*latest)->version == have)
      return (*reply)(wire::encode_model_answer(std::nullopt));
    (*reply)(wire::encode_model_answer(
        wire::model_offer{(*latest)->version, std::move((*latest)->model)}));
  });
}

void answer_storage(const request_handler_config& cfg, const std::string& body,
                    const wire_reply& reply) {
  auto request = wire::decode_storage_request(body, "request_storage");
  if (!request)
    return (*reply)(request.error());
  if (cfg.forward_storage)
    return cfg.forward_storage->forward(
        body, std::chrono::steady_clock::now() + cfg.storage_deadline,
        [reply](qs::expected<std::string> answer) { (*reply)(std::move(answer)); });
  off_thread(cfg, reply, [stores = cfg.stores, request = std::move(*request), reply] {
    auto answer = runtime::storage::serve(stores, request);
    if (!answer)
      return (*reply)(answer.error());
    (*reply)(wire::encode_storage_answer(*answer));
  });
}

void answer_cluster(const request_handler_config& cfg, const std::string& body,
                    const wire_reply& reply) {
  if (auto asked = wire::decode_cluster_request(body); !asked)
    return (*reply)(asked.error());
  // The view is JSON this node wrote (no doubles): parsing it back is exact.
  boost::system::error_code ec;
  auto view = boost::json::parse(cfg.cluster_view(), ec);
  if (ec)
    return (*reply)(qs::error(errc::task_failed, "the cluster view is not JSON: " + ec.message()));
  (*reply)(wire::encode_cluster_view(view));
}

} // namespace

caf::behavior request_handler(caf::event_based_actor* self, request_handler_config cfg) {
  return {
      [=](request_atom, message_type kind, const std::string& body, const wire_reply& reply) {
        switch (kind) {
        case message_type::request_job:
          return answer_job(self, cfg, body, reply);
        case message_type::request_store:
          return answer_store(self, cfg, body, reply);
        case message_type::request_scan:
          return answer_scan(self, cfg, body, reply);
        case message_type::request_model:
          return answer_model(cfg, body, reply);
        case message_type::request_storage:
          return answer_storage(cfg, body, reply);
        case message_type::request_cluster:
          return answer_cluster(cfg, body, reply);
        default:
          return (*reply)(qs::error(protocol::wire_errc::unexpected,
                                    std::string(protocol::to_string(kind)) + " is not a request"));
        }
      },
  };
}

} // namespace qs::actors
