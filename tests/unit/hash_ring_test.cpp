#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <vector>

#include "runtime/cluster/hash_ring.hpp"

using namespace qs::runtime::cluster;

namespace {

std::vector<std::string> asset_ids(int n) {
  std::vector<std::string> ids;
  for (int i = 0; i < n; ++i)
    ids.push_back("asset-" + std::to_string(i));
  return ids;
}

std::map<std::string, std::string> owners(const hash_ring& ring,
                                          const std::vector<std::string>& ids) {
  std::map<std::string, std::string> out;
  for (const auto& id : ids)
    out[id] = ring.owner(id).value();
  return out;
}

hash_ring ring_of(const std::vector<std::string>& nodes) {
  hash_ring ring;
  for (const auto& node : nodes)
    ring.add(node);
  return ring;
}

} // namespace

TEST_CASE("an empty ring owns nothing", "[hash_ring]") {
  hash_ring ring;
  CHECK(ring.size() == 0);
  CHECK(!ring.owner("asset-1"));
  CHECK(ring.add("n1"));
  CHECK(!ring.add("n1"));
  CHECK(ring.owner("asset-1") == "n1");
  CHECK(ring.remove("n1"));
  CHECK(!ring.remove("n1"));
  CHECK(!ring.owner("asset-1"));
}

TEST_CASE("the hash is the same on every build", "[hash_ring]") {
  // Pinned (checked against an independent Python FNV-1a + splitmix64): every node
  // must agree on owners, whatever compiler built it.
  CHECK(stable_hash("") == 0xf52a15e9a9b5e89bULL);
  CHECK(stable_hash("asset-1") == 0x60886eaa608f7fb9ULL);
  CHECK(stable_hash("asset-1") != stable_hash("asset-2"));
}

TEST_CASE("an asset maps to the same node whatever order the nodes joined in", "[hash_ring]") {
  auto forward = ring_of({"n1", "n2", "n3", "n4"});
  auto backward = ring_of({"n4", "n3", "n2", "n1"});
  auto ids = asset_ids(1000);
  CHECK(owners(forward, ids) == owners(backward, ids));
  CHECK(forward.size() == 4);
}

TEST_CASE("each of four nodes owns between 15 and 35 percent of 10,000 assets", "[hash_ring]") {
  auto ring = ring_of({"n1", "n2", "n3", "n4"});
  std::map<std::string, int> owned;
  for (const auto& [asset, node] : owners(ring, asset_ids(10000)))
    ++owned[node];
  REQUIRE(owned.size() == 4);
  for (const auto& [node, count] : owned) {
    INFO(node << " owns " << count);
    CHECK(count >= 1500);
    CHECK(count <= 3500);
  }
}

TEST_CASE("removing one of four nodes moves only the assets it owned", "[hash_ring]") {
  auto ring = ring_of({"n1", "n2", "n3", "n4"});
  auto ids = asset_ids(10000);
  auto before = owners(ring, ids);
  REQUIRE(ring.remove("n3"));
  auto after = owners(ring, ids);

  int moved = 0;
  for (const auto& id : ids) {
    if (before[id] == "n3") {
      CHECK(after[id] != "n3");
      ++moved;
    } else {
      CHECK(after[id] == before[id]); // nobody else's assets move
    }
  }
  CHECK(moved >= 1500); // about a quarter
  CHECK(moved <= 3500);
}

TEST_CASE("a fifth node takes about a fifth of the assets, all from the others", "[hash_ring]") {
  auto ring = ring_of({"n1", "n2", "n3", "n4"});
  auto ids = asset_ids(10000);
  auto before = owners(ring, ids);
  REQUIRE(ring.add("n5"));
  auto after = owners(ring, ids);

  int moved = 0;
  for (const auto& id : ids) {
    if (after[id] != before[id]) {
      CHECK(after[id] == "n5"); // assets move only onto the new node
      ++moved;
    }
  }
  CHECK(moved >= 1000);
  CHECK(moved <= 3000);
}
