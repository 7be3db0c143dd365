#include "runtime/cluster/coordinator_link.hpp"

#include <algorithm>
#include <iterator>
#include <utility>

#include <zmq.hpp>

#include "protocol/link_messages.hpp"
#include "protocol/message_batch.hpp"
#include "runtime/cluster/allow_list.hpp"
#include "runtime/cluster/coordinator_link_state.hpp"
#include "runtime/cluster/socket_thread.hpp"
#include "runtime/cluster/zap_handler.hpp"

namespace qs::runtime::cluster {

coordinator_link::coordinator_link(coordinator_options options, coordinator_callbacks callbacks)
    : options_(std::move(options)),
      node_id_(options_.node_id.empty() ? node_id_from_key(options_.keys.public_key)
                                        : options_.node_id),
      callbacks_(std::move(callbacks)) {
  membership_config m;
  m.heartbeat_interval = options_.heartbeat_interval;
  m.missed_heartbeats = options_.missed_heartbeats;
  m.forget_after = options_.forget_after;
  dispatcher_config d;
  d.task_timeout = options_.task_timeout;
  for (const auto& [role, timeout] : options_.role_timeouts)
    d.role_timeouts[std::string(protocol::name_of(role))] = timeout;
  d.max_failed_nodes = options_.max_failed_nodes;
  state_ = std::make_unique<state>(m, d);
}

qs::expected<std::unique_ptr<coordinator_link>>
coordinator_link::start(zmq::context_t& context, coordinator_options options,
                        coordinator_callbacks callbacks) {
  if (options.heartbeat_interval.count() <= 0 || options.missed_heartbeats <= 0)
    return qs::error(errc::setup_failed,
                     "the heartbeat interval and the missed heartbeats must be positive");
  std::unique_ptr<coordinator_link> self(
      new coordinator_link(std::move(options), std::move(callbacks)));
  const coordinator_options& o = self->options_;
  self->allowed_ = std::make_shared<allow_list>(o.allow_dir, o.allow_recheck);
  auto zap = zap_handler::start(context, self->allowed_);
  if (!zap)
    return qs::error(zap.error().code, "cannot start the ZAP handler: " + zap.error().message);
  self->zap_ = std::move(*zap);

  socket_options s;
  s.type = ZMQ_ROUTER;
  s.bind_or_connect = o.endpoint;
  s.bind = true;
  s.public_key = o.keys.public_key;
  s.secret_key = o.keys.secret_key;
  s.curve_server = true;
  s.heartbeat_ivl_ms = static_cast<int>(o.heartbeat_interval.count());
  s.heartbeat_timeout_ms = static_cast<int>(o.heartbeat_interval.count() * o.missed_heartbeats);
  s.tick = o.tick;
  s.coalesce = [](std::vector<std::vector<std::string>> queued) {
    return protocol::coalesce(std::move(queued), /*routed=*/true);
  };
  coordinator_link* raw = self.get();
  auto socket = socket_thread::start(
      context, std::move(s), [raw](received message) { raw->on_message(std::move(message)); },
      [raw](clock::time_point now) { raw->on_tick(now); },
      [raw](std::vector<std::string> frames, std::string reason) {
        raw->on_send_error(std::move(frames), reason);
      },
      [raw] { raw->pump(clock::now()); });
  if (!socket)
    return socket.error(); // the destructor stops the ZAP handler
  self->socket_ = std::move(*socket);
  self->sender_ = self->socket_.get();
  self->responder_ = std::make_shared<std::atomic<socket_thread*>>(self->socket_.get());
  return qs::expected<std::unique_ptr<coordinator_link>>(std::move(self));
}

coordinator_link::~coordinator_link() {
  stop();
}

void coordinator_link::stop() {
  if (responder_)
    responder_->store(nullptr);
  if (socket_)
    socket_->stop();
  if (zap_)
    zap_->stop();
}

const std::string& coordinator_link::endpoint() const {
  return socket_->endpoint();
}

std::uint64_t coordinator_link::messages_sent() const {
  const socket_thread* socket = sender_.load();
  return socket ? socket->messages_queued() : 0;
}

std::uint64_t coordinator_link::wire_messages_sent() const {
  const socket_thread* socket = sender_.load();
  return socket ? socket->messages_sent() : 0;
}

void coordinator_link::submit(std::string task_id, protocol::role role, std::string payload,
                              clock::time_point deadline, std::string shard_key) {
  task work;
  work.shard_key = std::move(shard_key);
  work.queued_at = clock::now();
  work.id = std::move(task_id);
  work.role = std::string(protocol::name_of(role));
  work.body = std::move(payload);
  work.deadline = deadline;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    submitted_.push_back(std::move(work));
  }
  if (auto* socket = sender_.load()) // handed on now, not at the next tick
    socket->wake();
}

std::optional<std::string> coordinator_link::owner(protocol::role role,
                                                   const std::string& key) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto ring = rings_.find(role);
  return ring == rings_.end() ? std::nullopt : ring->second.owner(key);
}

std::vector<node_info> coordinator_link::nodes() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return nodes_;
}

std::vector<dead_letter> coordinator_link::dead_letters() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return dead_letters_;
}

void coordinator_link::on_tick(clock::time_point now) {
  state& st = *state_;
  for (const std::string& id : st.members.sweep(now)) {
    st.work.node_dead(id, now);
    st.unbind(id);
    log("node " + id + " is dead: silent for " + std::to_string(options_.missed_heartbeats) +
        " heartbeat intervals; its tasks go to other nodes");
  }
  st.work.expire(now);
  if (now >= st.next_forget_check) {
    st.next_forget_check = now + options_.allow_recheck;
    for (const std::string& id : take_forget_requests(options_.allow_dir))
      if (st.members.forget(id)) {
        st.work.node_dead(id, now);
        st.unbind(id);
        log("forgot node " + id + " as an operator asked");
      }
  }
  refresh_rings();
  if (now >= st.next_heartbeat) {
    st.next_heartbeat = now + options_.heartbeat_interval;
    for (const auto& [node, route] : st.route_by_node)
      reply(route, protocol::message_type::heartbeat, "", "");
  }
  pump(now);
  publish_snapshots();
}

void coordinator_link::pump(clock::time_point now) {
  state& st = *state_;
  std::vector<task> incoming;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    incoming.swap(submitted_);
  }
  for (task& work : incoming) {
    const std::string id = work.id;
    if (!st.work.submit(std::move(work)) && callbacks_.on_abandoned)
      callbacks_.on_abandoned(
          id, qs::error(errc::duplicate_task, "a task with id " + id + " is already pending"));
  }
  for (assignment& a : st.work.next_assignments(now)) {
    const auto route = st.route_by_node.find(a.node_id);
    if (route == st.route_by_node.end()) {
      st.work.fail(a.task.id, a.node_id, qs::error(errc::no_node, "the node has no connection"),
                   now);
      continue;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(a.task.deadline - now);
    protocol::task body;
    body.role = *protocol::role_named(a.task.role); // submitted as a role, so it is one
    body.attempt = static_cast<std::uint32_t>(std::max(a.task.attempt, 1));
    body.deadline_ms = static_cast<std::uint64_t>(std::max<std::int64_t>(0, left.count()));
    body.payload = std::move(a.task.body);
    reply(route->second, protocol::message_type::task, a.task.id, protocol::encode(body));
  }
  for (abandoned_task& gone : st.work.take_abandoned())
    if (callbacks_.on_abandoned)
      callbacks_.on_abandoned(gone.task.id, gone.error);
}

void coordinator_link::publish_snapshots() {
  state& st = *state_;
  std::vector<node_info> nodes = st.members.nodes();
  for (node_info& node : nodes) {
    node.in_flight = st.work.in_flight(node.id);
    node.tasks_done = st.work.tasks_done(node.id);
    st.members.record_load(node.id, node.in_flight, node.tasks_done);
  }
  std::vector<dead_letter> letters = st.work.dead_letters();
  std::lock_guard<std::mutex> lock(mutex_);
  nodes_.swap(nodes);
  dead_letters_.swap(letters);
}

void coordinator_link::refresh_rings() {
  state& st = *state_;
  const std::vector<node_info> members = st.members.nodes();
  for (const protocol::role role : options_.keyed_roles) {
    const std::string name(protocol::name_of(role));
    std::vector<std::string> owners;
    for (const node_info& node : members) {
      const auto runs = [&](const std::vector<std::string>& roles) {
        return std::find(roles.begin(), roles.end(), name) != roles.end();
      };
      if (node.state == node_state::up && runs(node.roles) && !runs(node.roles_down))
        owners.push_back(node.id);
    }
    auto& known = st.rings[name];
    if (owners == known)
      continue;
    known = owners;
    st.work.set_ring(name, owners);
    {
      hash_ring ring;
      for (const auto& id : owners)
        ring.add(id);
      std::lock_guard<std::mutex> lock(mutex_);
      rings_.insert_or_assign(role, std::move(ring));
    }
    ++st.ring_generation;
    const std::string body =
        protocol::encode(protocol::shard_map{role, st.ring_generation, owners});
    for (const auto& id : owners)
      if (const auto route = st.route_by_node.find(id); route != st.route_by_node.end())
        reply(route->second, protocol::message_type::shard_map, "", body);
    log("the " + name + " ring has " + std::to_string(owners.size()) + " nodes now (generation " +
        std::to_string(st.ring_generation) + ")");
  }
}

void coordinator_link::reply(const std::string& route, protocol::message_type type,
                             std::string correlation_id, std::string body) {
  protocol::envelope message;
  message.type = type;
  message.correlation_id = std::move(correlation_id);
  message.body = std::move(body);
  std::vector<std::string> frames;
  frames.reserve(5);
  frames.push_back(route);
  for (std::string& frame : protocol::encode(std::move(message)))
    frames.push_back(std::move(frame));
  send(std::move(frames));
}

void coordinator_link::send(std::vector<std::string> frames) {
  socket_thread* socket = sender_.load();
  if (!socket) { // a callback before `start` stored the socket: keep it for later
    state_->unsent.push_back(std::move(frames));
    return;
  }
  for (auto& early : state_->unsent)
    socket->send(std::move(early));
  state_->unsent.clear();
  socket->send(std::move(frames));
}

void coordinator_link::on_send_error(std::vector<std::string> frames, const std::string& reason) {
  if (frames.size() != 5)
    return log("cannot send a message: " + reason);
  const auto node = state_->node_by_route.find(frames[0]);
  const std::string who = node == state_->node_by_route.end() ? "a node" : node->second;
  auto message = protocol::decode(std::vector<std::string>(
      std::make_move_iterator(frames.begin() + 1), std::make_move_iterator(frames.end())));
  std::vector<protocol::envelope> lost;
  if (message && message->type == protocol::message_type::batch) {
    if (auto inside = protocol::unpack(message->body, message->version))
      lost = std::move(*inside);
  } else if (message) {
    lost.push_back(std::move(*message));
  }
  for (const protocol::envelope& m : lost)
    if (m.type == protocol::message_type::task && node != state_->node_by_route.end())
      state_->work.fail(m.correlation_id, node->second,
                        qs::error(errc::node_lost, "cannot send the task: " + reason),
                        clock::now());
  const std::string what = !message ? "a message"
                           : message->type == protocol::message_type::batch
                               ? "a batch of " + std::to_string(lost.size()) + " messages"
                               : std::string(protocol::to_string(message->type));
  log("cannot send " + what + " to " + who + ": " + reason);
}

void coordinator_link::log(const std::string& line) const {
  if (callbacks_.on_log)
    callbacks_.on_log(line);
}

} // namespace qs::runtime::cluster
