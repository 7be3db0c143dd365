#include "actors/cluster/remote_roles.hpp"

#include "actors/anomaly/anomaly_shard.hpp"
#include "actors/cluster/request_codec.hpp"
#include "actors/cluster/scan_task_codec.hpp"
#include "actors/cluster/storage_codec.hpp"
#include "actors/cluster/wire_codec.hpp"
#include "protocol/roles.hpp"

namespace qs::actors {

namespace {

// A slice's outcome from a task's answer; `decode` turns the payload into items.
template<class Outcome, class Decode>
Outcome slice_outcome(std::vector<std::size_t> indices, const wire_answer& answer, Decode decode) {
  Outcome out;
  out.indices = std::move(indices);
  if (!answer) {
    out.error = answer.error().message;
    return out;
  }
  auto items = decode(*answer, "result.payload");
  if (!items)
    out.error = "the node's answer does not decode: " + items.error().message;
  else if (items->size() != out.indices.size())
    out.error = "the node answered " + std::to_string(items->size()) + " items for " +
                std::to_string(out.indices.size()) + " scan results";
  else
    out.items = std::move(*items);
  return out;
}

scan_chunk_outcome chunk_outcome(std::size_t targets, const wire_answer& answer) {
  scan_chunk_outcome out;
  if (!answer) {
    out.error = answer.error().message;
    return out;
  }
  auto decoded = wire::decode_scan_results(*answer);
  if (!decoded)
    out.error = "the scanner's answer does not decode: " + decoded.error().message;
  else if (decoded->size() != targets)
    out.error = "the scanner answered for " + std::to_string(decoded->size()) + " targets of " +
                std::to_string(targets);
  else
    out.results = std::move(*decoded);
  return out;
}

} // namespace

caf::behavior remote_roles(caf::stateful_actor<remote_roles_state>* self, remote_roles_config cfg) {
  // Submits a task of `role` and files `finish` under its id.
  auto send = [self, cfg](protocol::role role, std::string payload, std::string key,
                          std::chrono::milliseconds deadline,
                          std::function<void(wire_answer)> finish) {
    auto id = cfg.id_prefix + "-" + std::string(protocol::name_of(role)) + "-" +
              std::to_string(++self->state.next_id);
    self->state.pending.emplace(id, std::move(finish));
    cfg.submit(id, role, std::move(payload), std::chrono::steady_clock::now() + deadline,
               std::move(key));
  };
  return {
      [=](predict_atom, const slice& part) -> caf::result<predictions_outcome> {
        auto promise = self->make_response_promise<predictions_outcome>();
        send(protocol::role::predictor, wire::encode_task(part), "", cfg.task_deadline,
             [promise, indices = part.indices](wire_answer answer) mutable {
               promise.deliver(
                   slice_outcome<predictions_outcome>(indices, answer, wire::decode_predictions));
             });
        return promise;
      },
      [=](detect_atom, const slice& part) -> caf::result<anomalies_outcome> {
        auto promise = self->make_response_promise<anomalies_outcome>();
        const auto& asset = part.work->results[part.indices.front()].asset_id;
        send(protocol::role::anomaly, wire::encode_task(part),
             "shard-" + std::to_string(shard_of(asset, cfg.anomaly_shards)), cfg.task_deadline,
             [promise, indices = part.indices](wire_answer answer) mutable {
               promise.deliver(
                   slice_outcome<anomalies_outcome>(indices, answer, wire::decode_anomalies));
             });
        return promise;
      },
      [=](store_atom, const batch_ptr& batch) -> caf::result<store_outcome> {
        auto promise = self->make_response_promise<store_outcome>();
        send(protocol::role::persistence, wire::encode_persistence_write(*batch), "",
             cfg.task_deadline, [promise](wire_answer answer) mutable {
               auto done = answer ? wire::decode_done(*answer, "result.payload")
                                  : qs::expected<void>(answer.error());
               promise.deliver(done ? store_outcome{} : store_outcome{done.error()});
             });
        return promise;
      },
      [=](scan_atom, const scan_chunk& chunk) -> caf::result<scan_chunk_outcome> {
        auto promise = self->make_response_promise<scan_chunk_outcome>();
        send(protocol::role::scanner, wire::encode_scan_task(chunk), "", cfg.scan_deadline,
             [promise, n = chunk.targets.size()](wire_answer answer) mutable {
               promise.deliver(chunk_outcome(n, answer));
             });
        return promise;
      },
      [=](task_done_atom, const std::string& id, wire_answer& answer) {
        auto it = self->state.pending.find(id);
        if (it == self->state.pending.end())
          return; // answered already
        auto finish = std::move(it->second);
        self->state.pending.erase(it);
        finish(std::move(answer));
      },
  };
}

} // namespace qs::actors
