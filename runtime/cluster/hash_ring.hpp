// Consistent hashing of asset ids onto nodes (ARCHITECTURE.md §3: anomaly shards): each
// node stands at `virtual_nodes` points of a 64-bit ring, and an asset belongs to the
// first point at or after its hash (wrapping). Adding or removing a node moves only
// the assets at the points it gains or loses, about 1/n of them.
//
// The hash is `stable_hash` (FNV-1a 64 finished by the splitmix64 mixer), the same on
// every build and platform, so every node computes the same owners; std::hash is not.
// The ring depends only on the set of nodes, not on the order they were added in.
//
// Pure logic, no clock. Not thread-safe: owned by the coordinator's transport thread
// (nodes receive its result as a shard map).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace qs::runtime::cluster {

/// FNV-1a 64 of the bytes, then splitmix64's finalizer to spread similar strings.
std::uint64_t stable_hash(std::string_view bytes);

class hash_ring {
public:
  explicit hash_ring(int virtual_nodes = 64);

  /// False when the node is already on the ring.
  bool add(const std::string& node_id);

  /// False when the node was not on the ring.
  bool remove(const std::string& node_id);

  /// The node that owns the asset; none when the ring is empty.
  std::optional<std::string> owner(std::string_view asset_id) const;

  /// How many nodes are on the ring.
  std::size_t size() const { return nodes_.size(); }

  std::vector<std::string> nodes() const { return {nodes_.begin(), nodes_.end()}; }

private:
  void rebuild();

  int virtual_nodes_;
  std::set<std::string> nodes_;
  std::map<std::uint64_t, std::string> points_; ///< ring position -> node id
};

} // namespace qs::runtime::cluster
