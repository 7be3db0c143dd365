#include <catch2/catch.hpp>

#include "runtime/cluster/membership.hpp"

using namespace qs::runtime::cluster;
using namespace std::chrono_literals;

namespace {

const auto t0 = std::chrono::steady_clock::time_point{} + 1h;
const std::uint16_t v1 = qs::protocol::wire_version;

auto join(membership& members, const std::string& id, const std::string& key,
          std::vector<std::string> roles, std::chrono::steady_clock::time_point now) {
  return members.hello(id, key, "tcp://10.0.0.1:7701", std::move(roles), 4, v1, now);
}

} // namespace

TEST_CASE("a node that says hello is admitted as joining and is up at its first heartbeat",
          "[membership]") {
  membership members;
  auto welcome = join(members, "n1", "KEY1", {"predictor", "anomaly"}, t0);
  REQUIRE(welcome);
  CHECK(welcome->node_id == "n1");
  CHECK(!welcome->rejoined);
  CHECK(welcome->heartbeat_interval == 1s);
  CHECK(members.node("n1")->state == node_state::joining);
  CHECK(members.nodes_with_role("predictor").empty());

  CHECK(members.heartbeat("n1", t0 + 100ms));
  CHECK(members.node("n1")->state == node_state::up);
  CHECK(members.nodes_with_role("predictor") == std::vector<std::string>{"n1"});
  CHECK(members.nodes().size() == 1);
}

TEST_CASE("a hello with another protocol version is refused with a sentence naming both",
          "[membership]") {
  membership members;
  auto refused = members.hello("n1", "KEY1", "addr", {"predictor"}, 4, 1, t0);
  REQUIRE(!refused);
  CHECK(refused.error() == qs::protocol::wire_errc::version_mismatch);
  CHECK(refused.error().message == "protocol version 1, this node speaks 3");
  CHECK(members.nodes().empty());
}

TEST_CASE("a hello without an id or key, or with a negative capacity, is refused", "[membership]") {
  membership members;
  CHECK(!members.hello("", "KEY1", "addr", {}, 1, v1, t0));
  CHECK(!members.hello("n1", "", "addr", {}, 1, v1, t0));
  auto negative = members.hello("n1", "KEY1", "addr", {}, -1, v1, t0);
  REQUIRE(!negative);
  CHECK(negative.error() == errc::invalid_hello);
  CHECK_THAT(negative.error().message, Catch::Contains("capacity -1"));
  CHECK(members.nodes().empty());
}

TEST_CASE("an id already bound to another public key is refused", "[membership]") {
  membership members;
  REQUIRE(join(members, "n1", "KEY1", {"predictor"}, t0));
  auto impostor = join(members, "n1", "KEY2", {"predictor"}, t0 + 1s);
  REQUIRE(!impostor);
  CHECK(impostor.error() == errc::id_taken);
  CHECK(impostor.error().message == "node id n1 is already bound to another public key");
  CHECK(members.node("n1")->public_key == "KEY1");
}

TEST_CASE("a node silent for three intervals is declared dead", "[membership]") {
  membership members;
  REQUIRE(join(members, "n1", "KEY1", {"predictor"}, t0));
  REQUIRE(join(members, "n2", "KEY2", {"predictor"}, t0));
  members.heartbeat("n1", t0);
  members.heartbeat("n2", t0);
  members.heartbeat("n2", t0 + 2s);

  CHECK(members.sweep(t0 + 3s - 1ms).empty());
  CHECK(members.sweep(t0 + 3s) == std::vector<std::string>{"n1"});
  CHECK(members.node("n1")->state == node_state::dead);
  CHECK(members.sweep(t0 + 3s + 500ms).empty()); // reported once
  CHECK(members.nodes_with_role("predictor") == std::vector<std::string>{"n2"});
}

TEST_CASE("the heartbeat interval is configurable", "[membership]") {
  membership members(membership_config{500ms});
  auto welcome = join(members, "n1", "KEY1", {}, t0);
  REQUIRE(welcome);
  CHECK(welcome->heartbeat_interval == 500ms);
  CHECK(members.sweep(t0 + 1499ms).empty());
  CHECK(members.sweep(t0 + 1500ms) == std::vector<std::string>{"n1"});
}

TEST_CASE("a dead node that says hello again with the same key is revived", "[membership]") {
  membership members;
  REQUIRE(join(members, "n1", "KEY1", {"predictor"}, t0));
  members.heartbeat("n1", t0);
  members.record_load("n1", 3, 7);
  REQUIRE(members.sweep(t0 + 5s) == std::vector<std::string>{"n1"});
  CHECK(!members.heartbeat("n1", t0 + 6s)); // a dead node must say hello again

  auto back = join(members, "n1", "KEY1", {"predictor"}, t0 + 7s);
  REQUIRE(back);
  CHECK(back->rejoined);
  members.heartbeat("n1", t0 + 7s);
  auto node = *members.node("n1");
  CHECK(node.state == node_state::up);
  CHECK(node.restarts == 1);
  CHECK(node.in_flight == 0);
  CHECK(node.tasks_done == 7);
  CHECK(members.sweep(t0 + 8s).empty());
}

TEST_CASE("a heartbeat from an unknown node is refused so it says hello", "[membership]") {
  membership members;
  CHECK(!members.heartbeat("stranger", t0));
  CHECK(!members.bye("stranger", t0));
  CHECK(members.nodes().empty());
}

TEST_CASE("a draining node gets no new work and is still declared dead when silent",
          "[membership]") {
  membership members;
  REQUIRE(join(members, "n1", "KEY1", {"predictor"}, t0));
  members.heartbeat("n1", t0);
  CHECK(members.bye("n1", t0 + 1s));
  CHECK(members.node("n1")->state == node_state::draining);
  CHECK(members.nodes_with_role("predictor").empty());
  members.heartbeat("n1", t0 + 2s); // results still arrive; it stays draining
  CHECK(members.node("n1")->state == node_state::draining);
  CHECK(members.sweep(t0 + 5s) == std::vector<std::string>{"n1"});
}

TEST_CASE("a dead node is forgotten after forget_after, and at once by forget", "[membership]") {
  membership members;
  REQUIRE(join(members, "n1", "KEY1", {}, t0));
  REQUIRE(join(members, "n2", "KEY2", {}, t0));
  REQUIRE(members.sweep(t0 + 3s).size() == 2);
  CHECK(members.sweep(t0 + 3s + 10min - 1ms).empty());
  CHECK(members.nodes().size() == 2);
  members.sweep(t0 + 3s + 10min);
  CHECK(members.nodes().empty());

  REQUIRE(join(members, "n3", "KEY3", {}, t0));
  CHECK(members.forget("n3"));
  CHECK(!members.forget("n3"));
  CHECK(!members.node("n3"));
}

TEST_CASE("a node that reports a role down gets none of that role's work", "[membership]") {
  membership members;
  REQUIRE(join(members, "n1", "KEY1", {"predictor", "anomaly"}, t0));
  REQUIRE(join(members, "n2", "KEY2", {"predictor"}, t0));
  members.heartbeat("n1", t0);
  members.heartbeat("n2", t0);

  CHECK(members.role_down("n1", "predictor"));
  CHECK(!members.role_down("n2", "anomaly")); // a role it never ran
  CHECK(!members.role_down("stranger", "predictor"));
  CHECK(members.nodes_with_role("predictor") == std::vector<std::string>{"n2"});
  CHECK(members.nodes_with_role("anomaly") == std::vector<std::string>{"n1"});

  REQUIRE(join(members, "n1", "KEY1", {"predictor", "anomaly"}, t0 + 1s)); // restarted
  members.heartbeat("n1", t0 + 1s);
  CHECK(members.nodes_with_role("predictor") == std::vector<std::string>{"n1", "n2"});
}

TEST_CASE("nodes are found by their authenticated key", "[membership]") {
  membership members;
  REQUIRE(join(members, "n1", "KEY1", {}, t0));
  REQUIRE(join(members, "n2", "KEY2", {}, t0));
  CHECK(members.ids_with_key("KEY2") == std::vector<std::string>{"n2"});
  CHECK(members.ids_with_key("KEY9").empty());
  CHECK(to_string(node_state::draining) == "draining");
}
