// node_link: what it does with each message the coordinator sends (socket thread only).
#include <optional>
#include <utility>

#include <zmq.hpp>

#include "protocol/message_batch.hpp"
#include "runtime/cluster/error_domains.hpp"
#include "runtime/cluster/node_link.hpp"
#include "runtime/cluster/node_link_state.hpp"
#include "runtime/cluster/socket_thread.hpp"

namespace qs::runtime::cluster {

using protocol::message_type;

void node_link::on_message(received message) {
  last_heard_ = clock::now().time_since_epoch().count();
  auto decoded = protocol::decode_moving(message.frames);
  if (!decoded) {
    if (decoded.error() == protocol::wire_errc::version_mismatch)
      return on_other_version(message.frames, decoded.error());
    return log("dropped a message from the coordinator: " + decoded.error().message);
  }
  if (decoded->type != message_type::batch)
    return handle(*decoded);
  auto inside = protocol::unpack(decoded->body, decoded->version);
  if (!inside)
    return log("dropped a batch from the coordinator: " + inside.error().message);
  for (const protocol::envelope& one : *inside)
    handle(one);
}

void node_link::handle(const protocol::envelope& envelope) {
  switch (envelope.type) {
  case message_type::welcome: {
    auto welcome = protocol::decode_welcome(envelope.body);
    if (!welcome)
      return log("dropped a WELCOME from the coordinator: " + welcome.error().message);
    admitted_ = true;
    {
      std::lock_guard<std::mutex> lock(shared_->mutex);
      if (!shared_->draining)
        for (const auto role : options_.roles)
          shared_->send_locked(message_type::ready, "",
                               protocol::encode(protocol::ready{role, options_.capacity_of(role)}));
    }
    if (callbacks_.on_welcome)
      callbacks_.on_welcome(*welcome);
    return;
  }
  case message_type::refuse: {
    auto refusal = protocol::decode_refuse(envelope.body);
    const qs::error why = refusal ? from_wire(refusal->error)
                                  : protocol::older_refusal(envelope.body, refusal.error());
    admitted_ = false;
    refused_ = true;
    log("the coordinator refused node " + node_id_ + ": " + why.message + " (" + why.code_name() +
        ")");
    if (callbacks_.on_refused)
      callbacks_.on_refused(why);
    return;
  }
  case message_type::task:
    return on_task(envelope);
  case message_type::heartbeat:
    return;
  case message_type::hello: { // the coordinator does not know this connection
    const auto now = clock::now();
    const auto said = clock::time_point(clock::duration(last_hello_.load()));
    if (refused_ || now - said < options_.heartbeat_interval)
      return;
    {
      // As after a reconnect: the coordinator has re-dispatched what this node had,
      // and the WELCOME's READY gives back the whole capacity.
      std::lock_guard<std::mutex> lock(shared_->mutex);
      ++shared_->generation;
      shared_->returned.clear();
    }
    admitted_ = false;
    say_hello();
    return;
  }
  case message_type::shard_map: {
    auto map = protocol::decode_shard_map(envelope.body);
    if (!map)
      return log("dropped a SHARD_MAP from the coordinator: " + map.error().message);
    if (callbacks_.on_shard_map)
      callbacks_.on_shard_map(*map);
    return;
  }
  case message_type::reply:
    return on_reply(envelope);
  case message_type::bye:
    return log("the coordinator is draining");
  default:
    return log("dropped a " + std::string(protocol::to_string(envelope.type)) +
               " from the coordinator: only a node sends that");
  }
}

void node_link::on_other_version(const std::vector<std::string>& frames, const qs::error& why) {
  const bool refusal =
      frames.size() == 4 && frames[1].size() == 1 &&
      static_cast<std::uint8_t>(frames[1][0]) == static_cast<std::uint8_t>(message_type::refuse);
  if (!refusal)
    return log("dropped a message from the coordinator: " + why.message);
  // Type 0x03 is REFUSE in every version (protocol::version_refusal): final.
  const qs::error refused(protocol::wire_errc::version_mismatch,
                          "the coordinator speaks " + why.message);
  admitted_ = false;
  refused_ = true;
  log("the coordinator refused node " + node_id_ + ": " + refused.message);
  if (callbacks_.on_refused)
    callbacks_.on_refused(refused);
}

void node_link::on_reply(const protocol::envelope& message) {
  std::optional<shared::pending_request> asked;
  {
    std::lock_guard<std::mutex> lock(shared_->mutex);
    auto it = shared_->requests.find(message.correlation_id);
    if (it != shared_->requests.end()) {
      asked = std::move(it->second);
      shared_->requests.erase(it);
    }
  }
  if (!asked)
    return log("dropped a REPLY to no pending request (correlation id \"" + message.correlation_id +
               "\"): answered already, or timed out");
  auto reply = protocol::decode_reply(message.body);
  if (!reply)
    return asked->on_reply(reply.error());
  if (!reply->ok)
    return asked->on_reply(from_wire(reply->error));
  asked->on_reply(std::move(reply->value));
}

void node_link::on_task(const protocol::envelope& message) {
  std::uint64_t generation = 0;
  {
    std::lock_guard<std::mutex> lock(shared_->mutex);
    generation = shared_->generation;
  }
  auto work = protocol::decode_task(message.body);
  auto reply = make_reply(shared_, message.correlation_id,
                          work ? std::optional<protocol::role>(work->role) : std::nullopt,
                          generation, options_.faults);
  if (!work) {
    log("task " + message.correlation_id + " is malformed: " + work.error().message);
    return reply(work.error());
  }
  if (!callbacks_.on_task)
    return reply(qs::error(errc::role_not_run, "node " + node_id_ + " runs no tasks"));
  callbacks_.on_task(message.correlation_id, work->role, work->payload, std::move(reply));
}

} // namespace qs::runtime::cluster
