#include "actors/cluster/storage_transports.hpp"

#include "actors/cluster/request_codec.hpp"
#include "actors/cluster/storage_codec.hpp"

namespace qs::actors {

using runtime::storage::errc;
using runtime::storage::storage_answer;

runtime::storage::storage_transport through_coordinator(storage_request_fn send) {
  return [send = std::move(send)](runtime::storage::storage_request request,
                                  std::chrono::steady_clock::time_point,
                                  std::function<void(qs::expected<storage_answer>)> done) {
    send(wire::encode_storage_request(request),
         [done = std::move(done)](qs::expected<std::string> value) {
           if (!value)
             return done(value.error());
           done(wire::decode_storage_answer(*value, "reply.value"));
         });
  };
}

persistence_calls::persistence_calls(submit_fn submit, std::function<bool()> any_up,
                                     std::string id_prefix)
    : submit_(std::move(submit)), any_up_(std::move(any_up)), id_prefix_(std::move(id_prefix)) {}

void persistence_calls::send(std::string payload, time_point deadline, answer_fn answer) {
  if (any_up_ && !any_up_())
    return answer(qs::error(errc::unavailable, "no persistence node is up"));
  std::string id;
  {
    std::lock_guard lock(mutex_);
    id = id_prefix_ + "-storage-" + std::to_string(++next_id_);
    pending_.emplace(id, std::move(answer));
  }
  submit_(std::move(id), std::move(payload), deadline);
}

runtime::storage::storage_transport persistence_calls::transport() {
  return [self = shared_from_this()](runtime::storage::storage_request request, time_point deadline,
                                     std::function<void(qs::expected<storage_answer>)> done) {
    self->send(wire::encode_persistence_task(std::move(request)), deadline,
               [done = std::move(done)](qs::expected<std::string> payload) {
                 if (!payload)
                   return done(payload.error());
                 done(wire::decode_storage_outcome(*payload));
               });
  };
}

void persistence_calls::forward(std::string request_bytes, time_point deadline,
                                std::function<void(qs::expected<std::string>)> done) {
  send(wire::encode_persistence_call(request_bytes), deadline,
       [done = std::move(done)](qs::expected<std::string> payload) {
         if (!payload)
           return done(payload.error());
         done(wire::storage_outcome_answer(*payload));
       });
}

void persistence_calls::write(const runtime::storage::write_batch& batch, time_point deadline,
                              std::function<void(qs::expected<void>)> done) {
  send(wire::encode_persistence_write(batch), deadline,
       [done = std::move(done)](qs::expected<std::string> payload) {
         if (!payload)
           return done(payload.error());
         done(wire::decode_done(*payload, "result.payload"));
       });
}

persistence_calls::answer_fn persistence_calls::take(const std::string& task_id) {
  std::lock_guard lock(mutex_);
  auto it = pending_.find(task_id);
  if (it == pending_.end())
    return nullptr;
  auto answer = std::move(it->second);
  pending_.erase(it);
  return answer;
}

bool persistence_calls::on_result(const std::string& task_id, const std::string& payload) {
  auto answer = take(task_id);
  if (!answer)
    return false;
  answer(payload);
  return true;
}

bool persistence_calls::on_abandoned(const std::string& task_id, const qs::error& why) {
  auto answer = take(task_id);
  if (!answer)
    return false;
  // The store call did not reach a persistence node that could answer: storage is
  // unavailable, whatever the cluster's reason (which the message keeps).
  answer(why.code.category() == runtime::storage::make_error_code(errc::unavailable).category()
             ? why
             : qs::error(errc::unavailable, why.message));
  return true;
}

} // namespace qs::actors
