// coordinator_link: what it does with each message a node sends (socket thread only).
#include <iterator>
#include <utility>

#include <zmq.hpp>

#include "protocol/link_messages.hpp"
#include "protocol/message_batch.hpp"
#include "runtime/cluster/coordinator_link.hpp"
#include "runtime/cluster/coordinator_link_state.hpp"
#include "runtime/cluster/error_domains.hpp"
#include "runtime/cluster/socket_thread.hpp"

namespace qs::runtime::cluster {

using protocol::message_type;

void coordinator_link::on_message(received message) {
  const auto now = clock::now();
  if (message.frames.size() < 2) { // a ROUTER always adds the routing id
    ++malformed_;
    return log("dropped a message without frames");
  }
  const std::string route = std::move(message.frames.front());
  std::vector<std::string> frames(std::make_move_iterator(message.frames.begin() + 1),
                                  std::make_move_iterator(message.frames.end()));
  auto decoded = protocol::decode_moving(frames);
  const auto sender = [&] {
    const auto node = state_->node_by_route.find(route);
    return node == state_->node_by_route.end() ? message.user_id : node->second;
  };
  if (!decoded) {
    ++malformed_;
    log("dropped a message from " + sender() + ": " + decoded.error().message);
    if (decoded.error() == protocol::wire_errc::version_mismatch) {
      // Told in its own version, which it can read (protocol::version_refusal).
      std::vector<std::string> refusal{route};
      for (std::string& frame : protocol::version_refusal(*protocol::version_of(frames)))
        refusal.push_back(std::move(frame));
      send(std::move(refusal));
    }
    return;
  }
  bool introduce = false;
  if (decoded->type == message_type::batch) {
    auto inside = protocol::unpack(decoded->body, decoded->version);
    if (!inside) {
      ++malformed_;
      return log("dropped a batch from " + sender() + ": " + inside.error().message);
    }
    for (const protocol::envelope& one : *inside)
      introduce = handle(route, message.user_id, one, now) || introduce;
  } else {
    introduce = handle(route, message.user_id, *decoded, now);
  }
  if (introduce)
    // Not (or no longer) a member, as after this coordinator restarted: ask it to say
    // HELLO rather than let it wait for missed heartbeats.
    reply(route, message_type::hello, "", "");
  pump(now);
}

bool coordinator_link::handle(const std::string& route, const std::string& user_id,
                              const protocol::envelope& envelope, clock::time_point now) {
  if (envelope.type == message_type::hello) {
    hello(route, user_id, envelope.body, now);
    return false;
  }
  if (const auto node = state_->node_by_route.find(route); node != state_->node_by_route.end()) {
    from_node(node->second, envelope, now);
    return false;
  }
  return envelope.type != message_type::bye;
}

void coordinator_link::refuse(const std::string& route, const std::string& who,
                              const qs::error& why) {
  log("refused node " + who + ": " + why.message + " (" + why.code_name() + ")");
  reply(route, message_type::refuse, "",
        protocol::encode(protocol::refuse{protocol::to_wire(why)}));
}

void coordinator_link::hello(const std::string& route, const std::string& user_id,
                             const std::string& body, clock::time_point now) {
  auto h = protocol::decode_hello(body);
  if (!h)
    return refuse(route, user_id, h.error());
  if (user_id.empty() || h->public_key != user_id)
    return refuse(
        route, h->node_id,
        qs::error(errc::key_mismatch, "the HELLO names public key " + h->public_key +
                                          " but the connection is authenticated as " +
                                          (user_id.empty() ? std::string("nobody") : user_id)));
  std::vector<std::string> roles;
  for (protocol::role role : h->roles)
    roles.emplace_back(protocol::name_of(role));
  if (auto ok = admit_database({h->node_id, h->database_id, h->database_kind, h->database_cluster},
                               options_.cluster_id, state_->members.nodes(), options_.own_database);
      !ok)
    return refuse(route, h->node_id, ok.error());
  auto admitted = state_->members.hello(h->node_id, user_id, h->address, std::move(roles),
                                        h->capacity, h->protocol_version, now);
  if (!admitted)
    return refuse(route, h->node_id, admitted.error());
  state_->members.record_database(h->node_id, h->database_id, h->database_kind);
  if (admitted->rejoined) // what it had in flight is lost
    state_->work.node_dead(h->node_id, now);
  state_->bind(h->node_id, route);
  log("node " + h->node_id + (admitted->rejoined ? " rejoined" : " joined") + " with capacity " +
      std::to_string(h->capacity));
  protocol::welcome welcome;
  welcome.node_id = h->node_id;
  welcome.coordinator_id = node_id_;
  welcome.heartbeat_interval_ms = static_cast<std::uint32_t>(admitted->heartbeat_interval.count());
  welcome.cluster_id = options_.cluster_id;
  reply(route, message_type::welcome, "", protocol::encode(welcome));
}

void coordinator_link::request(const std::string& node_id, const protocol::envelope& message) {
  state& st = *state_;
  std::weak_ptr<std::atomic<socket_thread*>> weak = responder_;
  auto answer = [weak, route = st.route_by_node[node_id],
                 id = message.correlation_id](qs::expected<std::string> outcome) {
    const auto responder = weak.lock();
    socket_thread* socket = responder ? responder->load() : nullptr;
    if (!socket)
      return; // the link stopped
    protocol::reply body;
    body.ok = static_cast<bool>(outcome);
    if (outcome)
      body.value = std::move(*outcome);
    else
      body.error = protocol::to_wire(outcome.error());
    std::vector<std::string> frames;
    frames.reserve(5);
    frames.push_back(route);
    for (std::string& frame : protocol::encode(protocol::envelope{
             protocol::wire_version, message_type::reply, id, protocol::encode(body)}))
      frames.push_back(std::move(frame));
    socket->send(std::move(frames));
  };
  if (!callbacks_.on_request)
    return answer(qs::error(errc::not_offered, "this coordinator answers no requests"));
  callbacks_.on_request(node_id, message.type, message.body, std::move(answer));
}

void coordinator_link::from_node(const std::string& node_id, const protocol::envelope& message,
                                 clock::time_point now) {
  state& st = *state_;
  if (!st.members.heartbeat(node_id, now))
    return; // dead: it must say HELLO again
  const auto drop = [&](const qs::error& why) {
    ++malformed_;
    log("dropped a " + std::string(protocol::to_string(message.type)) + " from " + node_id + ": " +
        why.message);
  };
  if (protocol::is_request(message.type))
    return request(node_id, message);
  switch (message.type) {
  case message_type::heartbeat:
    return;
  case message_type::ready: {
    const auto ready = protocol::decode_ready(message.body);
    if (!ready)
      return drop(ready.error());
    const auto node = st.members.node(node_id);
    if (node && node->state != node_state::draining)
      st.work.credit(node_id, std::string(protocol::name_of(ready->role)), ready->credits);
    return;
  }
  case message_type::result: {
    auto result = protocol::decode_task_result(message.body);
    if (!result) { // as if it failed there: another node tries
      st.work.fail(message.correlation_id, node_id, result.error(), now);
      return drop(result.error());
    }
    if (st.work.complete(message.correlation_id, node_id) && callbacks_.on_result)
      callbacks_.on_result(message.correlation_id, result->payload);
    return;
  }
  case message_type::failed: {
    auto failure = protocol::decode_task_failure(message.body);
    if (!failure) {
      st.work.fail(message.correlation_id, node_id, failure.error(), now);
      return drop(failure.error());
    }
    st.work.fail(message.correlation_id, node_id, from_wire(failure->error), now);
    return;
  }
  case message_type::role_down: {
    const auto down = protocol::decode_role_down(message.body);
    if (!down)
      return drop(down.error());
    const std::string role(protocol::name_of(down->role));
    if (st.members.role_down(node_id, role)) {
      st.work.role_down(node_id, role, now);
      log("node " + node_id + " reports role " + role +
          " down (restart budget spent); its work of that role goes elsewhere");
    }
    return;
  }
  case message_type::bye:
    st.members.bye(node_id, now);
    st.work.withdraw(node_id);
    return log("node " + node_id + " is draining");
  default:
    return drop(qs::error(protocol::wire_errc::unexpected, "only a coordinator sends that"));
  }
}

} // namespace qs::runtime::cluster
