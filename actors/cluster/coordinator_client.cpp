#include "actors/cluster/coordinator_client.hpp"

#include "actors/cluster/scan_task_codec.hpp"
#include "actors/cluster/wire_codec.hpp"
#include "protocol/answer_codec.hpp"

namespace qs::actors {

caf::behavior coordinator_client(caf::stateful_actor<coordinator_client_state>* self,
                                 coordinator_client_config cfg) {
  auto send = [self, cfg](coordinator_client_state::pending entry, const std::string& payload) {
    const std::string id = cfg.id_prefix + "-" + std::to_string(++self->state.next_id);
    const std::string kind = entry.kind;
    entry.sent_at = std::chrono::steady_clock::now();
    self->state.waiting.emplace(id, std::move(entry));
    cfg.request(id, join_wire(kind, payload));
  };
  self->delayed_send(self, std::chrono::seconds(1), tick_atom::value);
  return {
      [=](analyze_atom, const job_ptr& work) -> caf::result<job_outcome> {
        coordinator_client_state::pending entry;
        entry.kind = "job";
        entry.answer = self->make_response_promise<job_outcome>();
        auto promise = entry.answer;
        send(std::move(entry), wire::encode_job(*work));
        return promise;
      },
      [=](store_atom, const batch_ptr& batch) -> caf::result<store_outcome> {
        coordinator_client_state::pending entry;
        entry.kind = "store";
        entry.stored = self->make_response_promise<store_outcome>();
        auto promise = entry.stored;
        send(std::move(entry), wire::encode_batch(*batch));
        return promise;
      },
      [=](cluster_atom) -> caf::result<job_outcome> {
        coordinator_client_state::pending entry;
        entry.kind = "cluster";
        entry.answer = self->make_response_promise<job_outcome>();
        auto promise = entry.answer;
        send(std::move(entry), "");
        return promise;
      },
      [=](scan_atom, const scan_submission& sub, const scan_reply& reply) {
        coordinator_client_state::pending entry;
        entry.kind = "scan";
        entry.scan = reply;
        send(std::move(entry), wire::encode_scan_submission(sub));
      },
      [=](reply_atom, const std::string& id, const std::string& body) {
        auto it = self->state.waiting.find(id);
        if (it == self->state.waiting.end())
          return; // too late: forgotten
        auto entry = std::move(it->second);
        self->state.waiting.erase(it);
        const auto [status, payload] = split_wire(body);
        const bool ok = status == "ok";
        if (entry.kind == "store") {
          entry.stored.deliver(store_outcome{ok ? std::string() : payload});
          return;
        }
        if (entry.kind == "scan") {
          auto decoded = ok ? wire::decode_scan_submitted(payload)
                            : std::variant<scan_submitted, std::string>(payload);
          if (auto* why = std::get_if<std::string>(&decoded))
            (*entry.scan)(
                {503, protocol::encode_error("cluster_unavailable", "coordinator: " + *why), 1});
          else
            (*entry.scan)(std::move(std::get<scan_submitted>(decoded)));
          return;
        }
        job_outcome out;
        if (!ok) {
          out.failure = "coordinator: " + payload;
        } else if (entry.kind == "cluster") {
          out.body = payload;
        } else {
          auto decoded = wire::decode_outcome(payload);
          if (auto* why = std::get_if<std::string>(&decoded))
            out.failure = "the coordinator's answer does not decode: " + *why;
          else
            out = std::move(std::get<job_outcome>(decoded));
        }
        entry.answer.deliver(std::move(out));
      },
      [=](tick_atom) {
        const auto now = std::chrono::steady_clock::now();
        auto& waiting = self->state.waiting;
        for (auto it = waiting.begin(); it != waiting.end();) {
          const auto& entry = it->second;
          if (entry.kind == "scan" && entry.sent_at < now - cfg.scan_wait) {
            (*entry.scan)({503,
                           protocol::encode_error("cluster_unavailable",
                                                  "the coordinator did not answer within " +
                                                      std::to_string(cfg.scan_wait.count() / 1000) +
                                                      " s; the job may have started"),
                           1});
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
