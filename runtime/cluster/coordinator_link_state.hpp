// What a coordinator_link's socket thread owns (private to coordinator_link*.cpp).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "runtime/cluster/coordinator_link.hpp"

namespace qs::runtime::cluster {

struct coordinator_link::state {
  membership members;
  dispatcher work;
  std::map<std::string, std::string> node_by_route; ///< ROUTER routing id -> node id
  std::map<std::string, std::string> route_by_node;
  std::vector<std::vector<std::string>> unsent; ///< queued before `sender_` was set
  clock::time_point next_heartbeat{};
  clock::time_point next_forget_check{};
  std::map<std::string, std::vector<std::string>> rings; ///< keyed role -> its nodes, as last set
  std::uint64_t ring_generation = 0;

  state(membership_config m, dispatcher_config d) : members(m), work(d) {}

  void bind(const std::string& node_id, const std::string& route) {
    if (auto old = route_by_node.find(node_id); old != route_by_node.end())
      node_by_route.erase(old->second);
    route_by_node[node_id] = route;
    node_by_route[route] = node_id;
  }
  void unbind(const std::string& node_id) {
    if (auto old = route_by_node.find(node_id); old != route_by_node.end()) {
      node_by_route.erase(old->second);
      route_by_node.erase(old);
    }
  }
};

} // namespace qs::runtime::cluster
