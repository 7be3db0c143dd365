#include "runtime/cluster/hash_ring.hpp"

#include <algorithm>

namespace qs::runtime::cluster {

std::uint64_t stable_hash(std::string_view bytes) {
  std::uint64_t hash = 0xcbf29ce484222325ULL; // FNV-1a 64 offset basis
  for (unsigned char byte : bytes) {
    hash ^= byte;
    hash *= 0x100000001b3ULL; // FNV-1a 64 prime
  }
  // splitmix64 finalizer: FNV-1a alone leaves "asset-1" and "asset-2" close on the ring.
  hash ^= hash >> 30;
  hash *= 0xbf58476d1ce4e5b9ULL;
  hash ^= hash >> 27;
  hash *= 0x94d049bb133111ebULL;
  hash ^= hash >> 31;
  return hash;
}

hash_ring::hash_ring(int virtual_nodes) : virtual_nodes_(std::max(virtual_nodes, 1)) {}

bool hash_ring::add(const std::string& node_id) {
  if (!nodes_.insert(node_id).second)
    return false;
  rebuild();
  return true;
}

bool hash_ring::remove(const std::string& node_id) {
  if (nodes_.erase(node_id) == 0)
    return false;
  rebuild();
  return true;
}

void hash_ring::rebuild() {
  // Rebuilt from the sorted node set, so two points that collide always go to the same
  // node (the smaller id) whatever the order of add and remove calls.
  points_.clear();
  for (const auto& node_id : nodes_)
    for (int i = 0; i < virtual_nodes_; ++i)
      points_.emplace(stable_hash(node_id + "#" + std::to_string(i)), node_id);
}

std::optional<std::string> hash_ring::owner(std::string_view asset_id) const {
  if (points_.empty())
    return std::nullopt;
  auto point = points_.lower_bound(stable_hash(asset_id));
  if (point == points_.end())
    point = points_.begin();
  return point->second;
}

} // namespace qs::runtime::cluster
