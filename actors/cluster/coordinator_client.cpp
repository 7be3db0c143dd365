#include "actors/cluster/coordinator_client.hpp"

#include <boost/json/serialize.hpp>

#include "actors/cluster/request_codec.hpp"
#include "actors/cluster/scan_task_codec.hpp"
#include "actors/cluster/wire_codec.hpp"
#include "protocol/answer_codec.hpp"

namespace qs::actors {

namespace {

using protocol::message_type;
using pending = coordinator_client_state::pending;

scan_submitted unavailable(const std::string& why) {
  return {503, protocol::encode_error("cluster_unavailable", why), 1};
}

// Delivers the REPLY to what was asked, decoded with that kind's codec.
void deliver(pending& entry, wire_answer answer) {
  switch (entry.kind) {
  case message_type::request_store:
    entry.stored.deliver(answer ? store_outcome{} : store_outcome{answer.error()});
    return;
  case message_type::request_scan: {
    if (!answer)
      return (*entry.scan)(unavailable("coordinator: " + answer.error().message));
    auto decoded = wire::decode_scan_submitted(*answer);
    if (!decoded)
      return (*entry.scan)(
          unavailable("the coordinator's answer does not decode: " + decoded.error().message));
    return (*entry.scan)(std::move(*decoded));
  }
  case message_type::request_cluster: {
    job_outcome out;
    auto view = answer ? wire::decode_cluster_view(*answer)
                       : qs::expected<boost::json::value>(answer.error());
    if (view)
      out.body = boost::json::serialize(*view);
    else
      out.failure = "coordinator: " + view.error().message;
    entry.answer.deliver(std::move(out));
    return;
  }
  default: { // request_job
    job_outcome out;
    auto decoded = answer ? wire::decode_outcome(*answer, "reply.value")
                          : qs::expected<job_outcome>(answer.error());
    if (decoded)
      out = std::move(*decoded);
    else
      out.failure = "coordinator: " + decoded.error().message;
    entry.answer.deliver(std::move(out));
    return;
  }
  }
}

} // namespace

caf::behavior coordinator_client(caf::stateful_actor<coordinator_client_state>* self,
                                 coordinator_client_config cfg) {
  auto send = [self, cfg](pending entry, std::string body) {
    const std::uint64_t id = ++self->state.next_id;
    const message_type kind = entry.kind;
    entry.sent_at = std::chrono::steady_clock::now();
    self->state.waiting.emplace(id, std::move(entry));
    auto me = caf::actor_cast<caf::actor>(self);
    cfg.request(kind, std::move(body), [me, id](wire_answer answer) {
      caf::anon_send(me, reply_atom::value, id, std::move(answer));
    });
  };
  self->delayed_send(self, std::chrono::seconds(1), tick_atom::value);
  return {
      [=](analyze_atom, const job_ptr& work) -> caf::result<job_outcome> {
        pending entry;
        entry.kind = message_type::request_job;
        entry.answer = self->make_response_promise<job_outcome>();
        auto promise = entry.answer;
        send(std::move(entry), wire::encode_job(*work));
        return promise;
      },
      [=](store_atom, const batch_ptr& batch) -> caf::result<store_outcome> {
        pending entry;
        entry.kind = message_type::request_store;
        entry.stored = self->make_response_promise<store_outcome>();
        auto promise = entry.stored;
        send(std::move(entry), wire::encode_batch(*batch));
        return promise;
      },
      [=](cluster_atom) -> caf::result<job_outcome> {
        pending entry;
        entry.kind = message_type::request_cluster;
        entry.answer = self->make_response_promise<job_outcome>();
        auto promise = entry.answer;
        send(std::move(entry), wire::encode_cluster_request());
        return promise;
      },
      [=](scan_atom, const scan_submission& sub, const scan_reply& reply) {
        pending entry;
        entry.kind = message_type::request_scan;
        entry.scan = reply;
        send(std::move(entry), wire::encode_scan_submission(sub));
      },
      [=](reply_atom, std::uint64_t id, wire_answer& answer) {
        auto it = self->state.waiting.find(id);
        if (it == self->state.waiting.end())
          return; // too late: forgotten
        auto entry = std::move(it->second);
        self->state.waiting.erase(it);
        deliver(entry, std::move(answer));
      },
      [=](tick_atom) {
        const auto now = std::chrono::steady_clock::now();
        auto& waiting = self->state.waiting;
        for (auto it = waiting.begin(); it != waiting.end();) {
          const auto& entry = it->second;
          if (entry.kind == message_type::request_scan && entry.sent_at < now - cfg.scan_wait) {
            (*entry.scan)(unavailable("the coordinator did not answer within " +
                                      std::to_string(cfg.scan_wait.count() / 1000) +
                                      " s; the job may have started"));
            it = waiting.erase(it);
          } else {
            it = entry.sent_at < now - cfg.forget_after ? waiting.erase(it) : std::next(it);
          }
        }
        self->delayed_send(self, std::chrono::seconds(1), tick_atom::value);
      },
  };
}

} // namespace qs::actors
