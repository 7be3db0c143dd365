// socket_thread over real TCP on 127.0.0.1 with CURVE and the ZAP allow-list: a
// coordinator's ROUTER and nodes' DEALERs, each owned by its own thread.
#include <catch2/catch.hpp>

#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include <zmq.hpp>

#include "protocol/envelope.hpp"
#include "protocol/link_messages.hpp"
#include "runtime/cluster/allow_list.hpp"
#include "runtime/cluster/curve_keys.hpp"
#include "runtime/cluster/socket_thread.hpp"
#include "runtime/cluster/zap_handler.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/wait.hpp"

using namespace qs::runtime::cluster;
using namespace std::chrono_literals;
namespace proto = qs::protocol;

namespace {

constexpr auto patience = 5000ms; // for what must happen

// Messages a socket thread received, for the test thread to wait on.
class inbox {
public:
  void push(received message) {
    std::lock_guard<std::mutex> lock(mutex_);
    messages_.push_back(std::move(message));
    changed_.notify_all();
  }
  bool wait_for(std::size_t count) {
    std::unique_lock<std::mutex> lock(mutex_);
    return changed_.wait_for(lock, patience, [&] { return messages_.size() >= count; });
  }
  std::vector<received> messages() {
    std::lock_guard<std::mutex> lock(mutex_);
    return messages_;
  }

private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<received> messages_;
};

proto::envelope decoded(const received& message, std::size_t skip) {
  const std::vector<std::string> wire(message.frames.begin() + static_cast<std::ptrdiff_t>(skip),
                                      message.frames.end());
  auto result = proto::decode(wire);
  INFO((result ? std::string() : result.error().message));
  REQUIRE(result);
  return *result;
}

std::vector<std::string> to(const std::string& peer, const proto::envelope& message) {
  std::vector<std::string> frames{peer};
  for (auto& frame : proto::encode(message))
    frames.push_back(std::move(frame));
  return frames;
}

proto::envelope heartbeat(std::string correlation_id) {
  return {proto::wire_version, proto::message_type::heartbeat, std::move(correlation_id), ""};
}

struct cluster {
  qs::test::temp_dir keys;
  zmq::context_t context;
  std::shared_ptr<allow_list> allowed = std::make_shared<allow_list>(keys.file("allowed"), 20ms);
  std::unique_ptr<zap_handler> zap;
  key_pair server;
  inbox at_router;
  std::unique_ptr<socket_thread> router;

  explicit cluster(socket_thread::on_send_error on_error = {}) {
    auto started = zap_handler::start(context, allowed); // before the CURVE server binds
    REQUIRE(started);
    zap = std::move(*started);
    auto generated = generate_keys(keys.file("coordinator"));
    REQUIRE(generated);
    server = *generated;
    auto bound = socket_thread::start(
        context, router_options("tcp://127.0.0.1:*"),
        [this](received m) { at_router.push(std::move(m)); }, {}, std::move(on_error));
    REQUIRE(bound);
    router = std::move(*bound);
  }

  socket_options router_options(const std::string& endpoint) const {
    socket_options o;
    o.type = ZMQ_ROUTER;
    o.bind_or_connect = endpoint;
    o.bind = true;
    o.curve_server = true;
    o.public_key = server.public_key;
    o.secret_key = server.secret_key;
    o.heartbeat_ivl_ms = 200;
    o.heartbeat_timeout_ms = 1000;
    return o;
  }

  // An allowed node's DEALER, connected to the router.
  std::unique_ptr<socket_thread> node(const std::string& name, inbox& at_node,
                                      std::string routing_id = "",
                                      int linger_ms = socket_options{}.linger_ms) {
    auto pair = generate_keys(keys.file(name));
    REQUIRE(pair);
    REQUIRE(allow(allowed->directory(), pair->public_key, name));
    REQUIRE(qs::test::wait_until([&] { return allowed->allows(pair->public_key); }, patience));
    socket_options o;
    o.type = ZMQ_DEALER;
    o.bind_or_connect = router->endpoint();
    o.public_key = pair->public_key;
    o.secret_key = pair->secret_key;
    o.server_key = server.public_key;
    o.routing_id = std::move(routing_id);
    o.linger_ms = linger_ms;
    auto started =
        socket_thread::start(context, o, [&at_node](received m) { at_node.push(std::move(m)); });
    REQUIRE(started);
    return std::move(*started);
  }
};

} // namespace

TEST_CASE("a router and two dealers exchange envelopes, each node known by its CURVE key",
          "[socket_thread]") {
  cluster c;
  CHECK(c.router->endpoint().rfind("tcp://127.0.0.1:", 0) == 0);
  CHECK(c.router->endpoint().find('*') == std::string::npos);
  inbox at_alice, at_bob;
  auto alice = c.node("alice", at_alice, "alice");
  auto bob = c.node("bob", at_bob);

  proto::hello hello;
  hello.node_id = "node-a";
  hello.roles = {proto::role::predictor};
  hello.capacity = 4;
  REQUIRE(alice->send(proto::encode(
      {proto::wire_version, proto::message_type::hello, "a-1", proto::encode(hello)})));
  REQUIRE(bob->send(proto::encode(heartbeat("b-1"))));
  REQUIRE(c.at_router.wait_for(2));

  for (const auto& message : c.at_router.messages()) {
    REQUIRE(message.frames.size() == 5); // routing id + four frames
    const auto in = decoded(message, 1);
    const auto name = c.allowed->name_of(message.user_id); // the ZAP User-Id
    REQUIRE(name);
    CHECK(*name == (in.correlation_id == "a-1" ? "alice" : "bob"));
    if (*name == "alice") {
      CHECK(message.frames[0] == "alice"); // the routing id it asked for
      CHECK(in.type == proto::message_type::hello);
    }
    REQUIRE(c.router->send(to(message.frames[0], {proto::wire_version, proto::message_type::welcome,
                                                  in.correlation_id, "{}"})));
  }
  REQUIRE(at_alice.wait_for(1));
  REQUIRE(at_bob.wait_for(1));
  CHECK(decoded(at_alice.messages()[0], 0).correlation_id == "a-1");
  CHECK(decoded(at_bob.messages()[0], 0).type == proto::message_type::welcome);
  CHECK(at_bob.messages()[0].user_id.empty()); // a client authenticates nobody
  CHECK(c.router->send_failures() == 0);
  CHECK(c.zap->admitted() == 2);
}

TEST_CASE("messages sent from four threads at once all arrive, each thread's in order",
          "[socket_thread]") {
  cluster c;
  inbox at_node;
  auto node = c.node("carol", at_node);
  constexpr int threads = 4, each = 500;
  std::vector<std::thread> senders;
  for (int t = 0; t < threads; ++t)
    senders.emplace_back([&node, t] {
      for (int i = 0; i < each; ++i)
        (void)node->send(proto::encode(heartbeat(std::to_string(t) + ":" + std::to_string(i))));
    });
  for (auto& sender : senders)
    sender.join();

  REQUIRE(c.at_router.wait_for(threads * each));
  std::map<int, int> next; // per thread, the index expected next
  for (const auto& message : c.at_router.messages()) {
    const std::string id = decoded(message, 1).correlation_id;
    const auto colon = id.find(':');
    CHECK(std::stoi(id.substr(colon + 1)) == next[std::stoi(id.substr(0, colon))]++);
  }
  CHECK(next == std::map<int, int>{{0, each}, {1, each}, {2, each}, {3, each}});
  CHECK(node->messages_sent() == threads * each);
  CHECK(node->send_failures() == 0);
}

TEST_CASE("a send to an unknown routing id is reported as a failure, not lost", "[socket_thread]") {
  std::mutex mutex;
  std::vector<std::pair<std::vector<std::string>, std::string>> failures;
  cluster c([&](std::vector<std::string> frames, std::string reason) {
    std::lock_guard<std::mutex> lock(mutex);
    failures.emplace_back(std::move(frames), std::move(reason));
  });
  REQUIRE(c.router->send(to("ghost", heartbeat("g-1"))));
  REQUIRE(qs::test::wait_until([&] { return c.router->send_failures() == 1; }, patience));
  std::lock_guard<std::mutex> lock(mutex);
  REQUIRE(failures.size() == 1);
  CHECK(failures[0].first == to("ghost", heartbeat("g-1")));
  CHECK_THAT(failures[0].second, Catch::Contains("EHOSTUNREACH"));
  CHECK(c.router->messages_sent() == 0);
}

TEST_CASE("stop joins promptly while traffic flows, and later sends are refused",
          "[socket_thread]") {
  cluster c;
  inbox at_node;
  auto node = c.node("dave", at_node);
  std::atomic<bool> flooding{true};
  std::thread flood([&] {
    for (int i = 0; flooding; ++i)
      (void)node->send(proto::encode(heartbeat(std::to_string(i))));
  });
  REQUIRE(c.at_router.wait_for(1000));

  const auto before = std::chrono::steady_clock::now();
  c.router->stop();
  node->stop();
  const auto took = std::chrono::steady_clock::now() - before;
  flooding = false;
  flood.join();
  CHECK(took < 1s);
  c.router->stop(); // idempotent

  const auto failures = node->send_failures();
  CHECK_FALSE(node->send(proto::encode(heartbeat("late"))));
  CHECK(node->send_failures() == failures + 1);
}

TEST_CASE("a message queued just before stop is still sent when the socket lingers",
          "[socket_thread]") {
  cluster c;
  inbox at_node;
  auto node = c.node("erin", at_node, "", 2000);
  REQUIRE(node->send(proto::encode(heartbeat("hi"))));
  REQUIRE(c.at_router.wait_for(1)); // connected and authenticated
  REQUIRE(node->send(proto::encode({proto::wire_version, proto::message_type::bye, "b", ""})));
  node->stop();
  REQUIRE(c.at_router.wait_for(2));
  CHECK(decoded(c.at_router.messages()[1], 1).type == proto::message_type::bye);
}

TEST_CASE("on_tick is called every tick", "[socket_thread]") {
  cluster c;
  std::mutex mutex;
  std::vector<socket_thread::clock::time_point> ticks;
  socket_options o = c.router_options("tcp://127.0.0.1:*");
  o.tick = 20ms;
  const auto started_at = socket_thread::clock::now();
  auto started = socket_thread::start(
      c.context, o, [](received) {},
      [&](socket_thread::clock::time_point now) {
        std::lock_guard<std::mutex> lock(mutex);
        ticks.push_back(now);
      });
  REQUIRE(started);
  REQUIRE(qs::test::wait_until(
      [&] {
        std::lock_guard<std::mutex> lock(mutex);
        return ticks.size() >= 5;
      },
      patience));
  (*started)->stop();
  std::lock_guard<std::mutex> lock(mutex);
  for (std::size_t i = 0; i < ticks.size(); ++i) // never early, however late the last
    CHECK(ticks[i] >= started_at + static_cast<int>(i + 1) * o.tick);
}

TEST_CASE("a port in use, a socket without CURVE and a linger of 0 are refused with a sentence",
          "[socket_thread]") {
  cluster c;
  auto second =
      socket_thread::start(c.context, c.router_options(c.router->endpoint()), [](received) {});
  REQUIRE_FALSE(second);
  CHECK(second.error() == errc::setup_failed);
  CHECK(second.error().message ==
        "cannot bind " + c.router->endpoint() + ": Address already in use");

  socket_options plain;
  plain.type = ZMQ_DEALER;
  plain.bind_or_connect = c.router->endpoint();
  auto refused = socket_thread::start(c.context, plain, [](received) {});
  REQUIRE_FALSE(refused);
  CHECK(refused.error().message ==
        "cannot use " + c.router->endpoint() + " without CURVE: set curve_server or server_key");

  socket_options no_linger = c.router_options("tcp://127.0.0.1:*");
  no_linger.linger_ms = 0;
  auto abrupt = socket_thread::start(c.context, no_linger, [](received) {});
  REQUIRE_FALSE(abrupt);
  CHECK_THAT(abrupt.error().message,
             Catch::Contains("linger") && Catch::Contains("must be positive"));
}
