// coordinator_link: what it does with each message a node sends (socket thread only).
#include <optional>
#include <utility>

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <zmq.hpp>

#include "protocol/json_input.hpp"
#include "runtime/cluster/coordinator_link.hpp"
#include "runtime/cluster/coordinator_link_state.hpp"
#include "runtime/cluster/socket_thread.hpp"

namespace qs::runtime::cluster {

namespace {

using protocol::message_type;

struct ready_body {
  std::string role;
  int credits = 0;
};

// The role and credits of a READY body, or nothing when it is not
// {"role": string, "credits": integer}.
std::optional<ready_body> parse_ready(const std::string& body) {
  auto parsed = protocol::parse_json(body);
  const auto* value = std::get_if<boost::json::value>(&parsed);
  const auto* object = value ? value->if_object() : nullptr;
  if (!object)
    return std::nullopt;
  const auto* r = object->if_contains("role");
  const auto* c = object->if_contains("credits");
  if (!r || !c || !r->is_string() || !c->is_int64() || c->as_int64() > 1'000'000)
    return std::nullopt;
  return ready_body{std::string(r->as_string()), static_cast<int>(c->as_int64())};
}

} // namespace

void coordinator_link::on_message(received message) {
  const auto now = clock::now();
  if (message.frames.size() < 2) { // a ROUTER always adds the routing id
    ++malformed_;
    return log("dropped a message without frames");
  }
  const std::string& route = message.frames.front();
  auto decoded = protocol::decode({message.frames.begin() + 1, message.frames.end()});
  if (const auto* why = std::get_if<std::string>(&decoded)) {
    ++malformed_;
    const auto node = state_->node_by_route.find(route);
    log("dropped a message from " +
        (node == state_->node_by_route.end() ? message.user_id : node->second) + ": " + *why);
    if (why->rfind("protocol version", 0) == 0) // tell a peer of another version why
      reply(route, message_type::refuse, "", *why);
    return;
  }
  const auto& envelope = std::get<protocol::envelope>(decoded);
  if (envelope.type == message_type::hello) {
    hello(route, message.user_id, envelope.body, now);
  } else if (const auto node = state_->node_by_route.find(route);
             node != state_->node_by_route.end()) {
    from_node(node->second, envelope, now);
  } else if (envelope.type != message_type::bye) {
    // Not (or no longer) a member, as after this coordinator restarted: ask it to say
    // HELLO rather than let it wait for missed heartbeats.
    reply(route, message_type::hello, "", "");
  }
  pump(now);
}

void coordinator_link::hello(const std::string& route, const std::string& user_id,
                             const std::string& body, clock::time_point now) {
  auto refuse = [&](const std::string& node_id, const std::string& why) {
    log("refused node " + (node_id.empty() ? user_id : node_id) + ": " + why);
    reply(route, message_type::refuse, "", why);
  };
  auto parsed = protocol::decode_hello(body);
  if (const auto* why = std::get_if<std::string>(&parsed))
    return refuse("", *why);
  const protocol::hello& h = std::get<protocol::hello>(parsed);
  if (user_id.empty() || h.public_key != user_id)
    return refuse(h.node_id, "the HELLO names public key " + h.public_key +
                                 " but the connection is authenticated as " +
                                 (user_id.empty() ? std::string("nobody") : user_id));
  auto admitted = state_->members.hello(h.node_id, user_id, h.address, h.roles, h.capacity,
                                        h.protocol_version, now);
  if (!admitted)
    return refuse(h.node_id, admitted.error());
  if (admitted->rejoined) // what it had in flight is lost
    state_->work.node_dead(h.node_id, now);
  state_->bind(h.node_id, route);
  log("node " + h.node_id + (admitted->rejoined ? " rejoined" : " joined") + " with capacity " +
      std::to_string(h.capacity));
  boost::json::object welcome;
  welcome["node_id"] = h.node_id;
  welcome["heartbeat_interval_ms"] = admitted->heartbeat_interval.count();
  reply(route, message_type::welcome, "", boost::json::serialize(welcome));
}

void coordinator_link::from_node(const std::string& node_id, const protocol::envelope& message,
                                 clock::time_point now) {
  state& st = *state_;
  if (!st.members.heartbeat(node_id, now))
    return; // dead: it must say HELLO again
  switch (message.type) {
  case message_type::heartbeat:
    return;
  case message_type::ready: {
    const auto ready = parse_ready(message.body);
    if (!ready) {
      ++malformed_;
      return log("dropped a READY from " + node_id +
                 ": the body is not {\"role\": string, \"credits\": integer}");
    }
    const auto node = st.members.node(node_id);
    if (node && node->state != node_state::draining)
      st.work.credit(node_id, ready->role, ready->credits);
    return;
  }
  case message_type::result:
    if (st.work.complete(message.correlation_id, node_id) && callbacks_.on_result)
      callbacks_.on_result(message.correlation_id, message.body);
    return;
  case message_type::failed:
    st.work.fail(message.correlation_id, node_id,
                 message.body.empty() ? "the node gave no reason" : message.body, now);
    return;
  case message_type::request: {
    if (!callbacks_.on_request)
      return reply(st.route_by_node[node_id], message_type::reply, message.correlation_id,
                   "error\nthis coordinator answers no requests");
    std::weak_ptr<std::atomic<socket_thread*>> weak = responder_;
    auto respond = [weak, route = st.route_by_node[node_id],
                    id = message.correlation_id](std::string body) {
      const auto responder = weak.lock();
      socket_thread* socket = responder ? responder->load() : nullptr;
      if (!socket)
        return; // the link stopped
      std::vector<std::string> frames{route};
      for (std::string& frame :
           protocol::encode({protocol::wire_version, message_type::reply, id, std::move(body)}))
        frames.push_back(std::move(frame));
      socket->send(std::move(frames));
    };
    callbacks_.on_request(node_id, message.body, std::move(respond));
    return;
  }
  case message_type::role_down:
    if (st.members.role_down(node_id, message.body)) {
      st.work.role_down(node_id, message.body, now);
      log("node " + node_id + " reports role " + message.body +
          " down (restart budget spent); its work of that role goes elsewhere");
    }
    return;
  case message_type::bye:
    st.members.bye(node_id, now);
    st.work.withdraw(node_id);
    return log("node " + node_id + " is draining");
  default:
    ++malformed_;
    return log("dropped a " + std::string(protocol::to_string(message.type)) + " from " + node_id +
               ": only a coordinator sends that");
  }
}

} // namespace qs::runtime::cluster
