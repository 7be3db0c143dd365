#include "runtime/cluster/membership.hpp"

#include <algorithm>
#include <utility>

namespace qs::runtime::cluster {

namespace {

bool contains(const std::vector<std::string>& values, const std::string& value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

void set_state(node_info& node, node_state state, node_info::time_point now) {
  node.state = state;
  node.state_since = now;
}

} // namespace

std::string_view to_string(node_state state) {
  switch (state) {
  case node_state::joining:
    return "joining";
  case node_state::up:
    return "up";
  case node_state::draining:
    return "draining";
  case node_state::dead:
    return "dead";
  }
  return "unknown";
}

membership::membership(membership_config config) : config_(config) {}

qs::expected<admission> membership::hello(const std::string& id, const std::string& public_key,
                                          const std::string& address,
                                          std::vector<std::string> roles, int capacity,
                                          std::uint16_t protocol_version, time_point now) {
  if (protocol_version != config_.protocol_version)
    return qs::error(protocol::wire_errc::version_mismatch,
                     "protocol version " + std::to_string(protocol_version) +
                         ", this node speaks " + std::to_string(config_.protocol_version));
  if (id.empty())
    return qs::error(errc::invalid_hello, "a node must say its id in HELLO");
  if (public_key.empty())
    return qs::error(errc::invalid_hello, "node " + id + " has no authenticated public key");
  if (capacity < 0)
    return qs::error(errc::invalid_hello, "node " + id + " claims capacity " +
                                              std::to_string(capacity) +
                                              "; capacity must be 0 or more");

  std::sort(roles.begin(), roles.end());
  roles.erase(std::unique(roles.begin(), roles.end()), roles.end());

  admission welcome{id, false, config_.heartbeat_interval};
  auto known = nodes_.find(id);
  if (known != nodes_.end()) {
    node_info& node = known->second;
    if (node.public_key != public_key)
      return qs::error(errc::id_taken, "node id " + id + " is already bound to another public key");
    // Same id, same key: the process restarted, reconnected or came back from the dead.
    node.address = address;
    node.roles = std::move(roles);
    node.roles_down.clear();
    node.capacity = capacity;
    node.in_flight = 0;
    node.last_heartbeat = now;
    ++node.restarts;
    set_state(node, node_state::joining, now);
    welcome.rejoined = true;
    return welcome;
  }

  node_info node;
  node.id = id;
  node.public_key = public_key;
  node.address = address;
  node.roles = std::move(roles);
  node.capacity = capacity;
  node.last_heartbeat = now;
  set_state(node, node_state::joining, now);
  nodes_.emplace(id, std::move(node));
  return welcome;
}

bool membership::heartbeat(const std::string& id, time_point now) {
  auto known = nodes_.find(id);
  if (known == nodes_.end() || known->second.state == node_state::dead)
    return false;
  node_info& node = known->second;
  node.last_heartbeat = std::max(node.last_heartbeat, now);
  if (node.state == node_state::joining)
    set_state(node, node_state::up, now);
  return true;
}

bool membership::bye(const std::string& id, time_point now) {
  auto known = nodes_.find(id);
  if (known == nodes_.end() || known->second.state == node_state::dead)
    return false;
  node_info& node = known->second;
  node.last_heartbeat = std::max(node.last_heartbeat, now);
  if (node.state != node_state::draining)
    set_state(node, node_state::draining, now);
  return true;
}

std::vector<std::string> membership::sweep(time_point now) {
  const auto silence_limit = config_.heartbeat_interval * config_.missed_heartbeats;
  std::vector<std::string> newly_dead;
  for (auto it = nodes_.begin(); it != nodes_.end();) {
    node_info& node = it->second;
    if (node.state != node_state::dead && now - node.last_heartbeat >= silence_limit) {
      set_state(node, node_state::dead, now);
      node.in_flight = 0; // the dispatcher re-dispatches them (dispatcher::node_dead)
      newly_dead.push_back(node.id);
    }
    if (node.state == node_state::dead && now - node.state_since >= config_.forget_after)
      it = nodes_.erase(it);
    else
      ++it;
  }
  return newly_dead;
}

bool membership::forget(const std::string& id) {
  return nodes_.erase(id) > 0;
}

bool membership::role_down(const std::string& id, const std::string& role) {
  auto known = nodes_.find(id);
  if (known == nodes_.end() || !contains(known->second.roles, role))
    return false;
  if (!contains(known->second.roles_down, role))
    known->second.roles_down.push_back(role);
  return true;
}

bool membership::record_database(const std::string& id, const std::string& database_id,
                                 const std::string& kind) {
  auto it = nodes_.find(id);
  if (it == nodes_.end())
    return false;
  it->second.database_id = database_id;
  it->second.database_kind = kind;
  return true;
}

bool membership::record_load(const std::string& id, int in_flight, std::uint64_t tasks_done) {
  auto known = nodes_.find(id);
  if (known == nodes_.end())
    return false;
  known->second.in_flight = in_flight;
  known->second.tasks_done = tasks_done;
  return true;
}

std::vector<node_info> membership::nodes() const {
  std::vector<node_info> out;
  out.reserve(nodes_.size());
  for (const auto& entry : nodes_)
    out.push_back(entry.second);
  return out;
}

std::optional<node_info> membership::node(const std::string& id) const {
  auto known = nodes_.find(id);
  if (known == nodes_.end())
    return std::nullopt;
  return known->second;
}

std::vector<std::string> membership::nodes_with_role(const std::string& role) const {
  std::vector<std::string> out;
  for (const auto& [id, node] : nodes_)
    if (node.state == node_state::up && contains(node.roles, role) &&
        !contains(node.roles_down, role))
      out.push_back(id);
  return out;
}

std::vector<std::string> membership::ids_with_key(const std::string& public_key) const {
  std::vector<std::string> out;
  for (const auto& [id, node] : nodes_)
    if (node.public_key == public_key)
      out.push_back(id);
  return out;
}

} // namespace qs::runtime::cluster
