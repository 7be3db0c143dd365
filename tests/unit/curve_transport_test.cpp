// CURVE and ZAP over real TCP on 127.0.0.1: a coordinator's ROUTER and nodes' DEALERs,
// as the cluster will use them (ARCHITECTURE.md §4).
#include <catch2/catch.hpp>

#include <chrono>
#include <iterator>
#include <optional>
#include <thread>

#include <zmq.hpp>
#include <zmq_addon.hpp>

#include "protocol/envelope.hpp"
#include "protocol/link_messages.hpp"
#include "runtime/cluster/allow_list.hpp"
#include "runtime/cluster/curve_keys.hpp"
#include "runtime/cluster/zap_handler.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/wait.hpp"

using namespace qs::runtime::cluster;
using namespace std::chrono_literals;
namespace proto = qs::protocol;

namespace {

using frames = std::vector<zmq::message_t>;
constexpr auto patience = 5s;    // for what must happen
constexpr auto silence = 1000ms; // for what must not

template<class Predicate> bool wait_until(Predicate done, std::chrono::milliseconds deadline) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= until)
      return false;
    std::this_thread::sleep_for(5ms); // polling a condition, with a deadline
  }
  return true;
}

std::optional<frames> receive(zmq::socket_t& socket, std::chrono::milliseconds deadline) {
  zmq::pollitem_t item{socket.handle(), 0, ZMQ_POLLIN, 0};
  if (zmq::poll(&item, 1, deadline) == 0)
    return std::nullopt;
  frames out;
  if (!zmq::recv_multipart(socket, std::back_inserter(out)))
    return std::nullopt;
  return out;
}

void send(zmq::socket_t& socket, const proto::envelope& message, const std::string* to = nullptr) {
  std::vector<zmq::message_t> out;
  if (to)
    out.emplace_back(*to);
  for (const auto& frame : proto::encode(message))
    out.emplace_back(frame);
  REQUIRE(zmq::send_multipart(socket, out, zmq::send_flags::dontwait));
}

proto::envelope decoded(const frames& message, std::size_t skip) {
  std::vector<std::string> wire;
  for (std::size_t i = skip; i < message.size(); ++i)
    wire.push_back(message[i].to_string());
  auto result = proto::decode(wire);
  INFO((result ? std::string() : result.error().message));
  REQUIRE(result);
  return *result;
}

// Records whether the server told this client that it was not admitted.
class auth_watch : public zmq::monitor_t {
public:
  bool refused = false;
  void on_event_handshake_failed_auth(const zmq_event_t&, const char*) override { refused = true; }
};

struct coordinator {
  qs::test::temp_dir keys;
  zmq::context_t context;
  std::shared_ptr<allow_list> allowed = std::make_shared<allow_list>(keys.file("allowed"), 20ms);
  std::unique_ptr<zap_handler> zap;
  key_pair server;
  zmq::socket_t router{context, zmq::socket_type::router};
  std::string endpoint;

  coordinator() {
    auto started = zap_handler::start(context, allowed); // before any CURVE socket binds
    REQUIRE(started);
    zap = std::move(*started);
    auto server_keys = generate_keys(keys.file("coordinator"));
    REQUIRE(server_keys);
    server = *server_keys;
    router.set(zmq::sockopt::linger, 0);
    router.set(zmq::sockopt::curve_server, true);
    router.set(zmq::sockopt::curve_secretkey, server.secret_key);
    router.set(zmq::sockopt::router_mandatory, true);
    router.set(zmq::sockopt::heartbeat_ivl, 200);
    router.set(zmq::sockopt::heartbeat_timeout, 1000);
    router.bind("tcp://127.0.0.1:*");
    endpoint = router.get(zmq::sockopt::last_endpoint);
  }

  key_pair node_keys(const std::string& name) {
    auto generated = generate_keys(keys.file(name));
    REQUIRE(generated);
    return *generated;
  }

  // A node's DEALER with its CURVE keys, not yet connected.
  zmq::socket_t dealer_for(const key_pair& node) {
    zmq::socket_t dealer(context, zmq::socket_type::dealer);
    dealer.set(zmq::sockopt::linger, 0);
    dealer.set(zmq::sockopt::curve_serverkey, server.public_key);
    dealer.set(zmq::sockopt::curve_publickey, node.public_key);
    dealer.set(zmq::sockopt::curve_secretkey, node.secret_key);
    dealer.set(zmq::sockopt::heartbeat_ivl, 200);
    dealer.set(zmq::sockopt::heartbeat_timeout, 1000);
    return dealer;
  }

  zmq::socket_t connect(const key_pair& node) {
    auto dealer = dealer_for(node);
    dealer.connect(endpoint);
    return dealer;
  }

  // Declare `watch` after `dealer`: monitor_t's destructor touches the watched socket.
  void connect_watched(zmq::socket_t& dealer, auth_watch& watch) {
    watch.init(dealer, "inproc://auth-watch." + std::to_string(++watches_),
               ZMQ_EVENT_HANDSHAKE_FAILED_AUTH);
    dealer.connect(endpoint);
  }

  // A hello from the node arrives, authenticated as the node's key, and is welcomed.
  void check_round_trip(zmq::socket_t& dealer, const key_pair& node) {
    const proto::hello hello{node_id_from_key(node.public_key),
                             {proto::role::predictor},
                             4,
                             proto::wire_version,
                             node.public_key,
                             "",
                             "",
                             "",
                             ""};
    send(dealer, {proto::wire_version, proto::message_type::hello, "c-1", encode(hello)});

    auto request = receive(router, patience);
    REQUIRE(request);
    REQUIRE(request->size() == 5); // routing id + four frames
    CHECK(std::string(request->back().gets("User-Id")) == node.public_key);
    auto in = decoded(*request, 1);
    CHECK(in.type == proto::message_type::hello);
    CHECK(in.correlation_id == "c-1");
    auto body = proto::decode_hello(in.body);
    REQUIRE(body);
    CHECK(body->node_id == hello.node_id);

    const std::string peer = (*request)[0].to_string();
    send(router, {proto::wire_version, proto::message_type::welcome, "c-1", "{}"}, &peer);
    auto reply = receive(dealer, patience);
    REQUIRE(reply);
    auto out = decoded(*reply, 0);
    CHECK(out.type == proto::message_type::welcome);
    CHECK(out.correlation_id == "c-1");
  }

  // Nothing from `dealer` reaches the coordinator, and the node is told why.
  void check_refused(zmq::socket_t& dealer, auth_watch& watch, std::uint64_t refusals_before) {
    zmq::message_t attempt(std::string("let me in"));
    (void)dealer.send(attempt, zmq::send_flags::dontwait); // queued until a handshake succeeds
    CHECK(wait_until([&] { return zap->refused() > refusals_before; }, patience));
    CHECK(wait_until([&] { return watch.check_event(10), watch.refused; }, patience));
    CHECK_FALSE(receive(router, silence));
  }

private:
  int watches_ = 0;
};

} // namespace

TEST_CASE("an allowed node and the coordinator exchange envelopes over CURVE", "[curve]") {
  coordinator c;
  const key_pair node = c.node_keys("alice");
  REQUIRE(allow(c.allowed->directory(), node.public_key, "alice"));
  auto dealer = c.connect(node);
  c.check_round_trip(dealer, node);
  CHECK(c.zap->admitted() == 1);
  CHECK(c.zap->refused() == 0);
}

TEST_CASE("a node whose key is not on the allow-list gets nothing through", "[curve]") {
  coordinator c;
  REQUIRE(allow(c.allowed->directory(), c.node_keys("alice").public_key, "alice"));
  const key_pair stranger = c.node_keys("mallory");
  auto dealer = c.dealer_for(stranger);
  auth_watch watch;
  c.connect_watched(dealer, watch);
  c.check_refused(dealer, watch, 0);
  CHECK(c.zap->admitted() == 0);
}

TEST_CASE("a node whose key is revoked at runtime cannot connect again", "[curve]") {
  coordinator c;
  const key_pair node = c.node_keys("bob");
  REQUIRE(allow(c.allowed->directory(), node.public_key, "bob"));
  {
    auto dealer = c.connect(node);
    c.check_round_trip(dealer, node);
  }
  REQUIRE(revoke(c.allowed->directory(), "bob"));
  REQUIRE(wait_until([&] { return !c.allowed->allows(node.public_key); }, patience));

  const std::uint64_t refusals = c.zap->refused();
  auto again = c.dealer_for(node);
  auth_watch watch;
  c.connect_watched(again, watch);
  c.check_refused(again, watch, refusals);
  CHECK(c.zap->admitted() == 1);
}

TEST_CASE("a reply to a node that is not connected fails loudly", "[curve]") {
  coordinator c;
  std::vector<zmq::message_t> reply;
  reply.emplace_back(std::string("ghost"));
  reply.emplace_back(std::string("anyone?"));
  try {
    (void)zmq::send_multipart(c.router, reply, zmq::send_flags::dontwait);
    FAIL("the ROUTER dropped a message for an unknown peer silently");
  } catch (const zmq::error_t& e) {
    CHECK(e.num() == EHOSTUNREACH);
  }
}

TEST_CASE("a second ZAP handler in one context is refused, and a stopped one frees its endpoint",
          "[curve]") {
  zmq::context_t context;
  qs::test::temp_dir dir;
  auto allowed = std::make_shared<allow_list>(dir.path());
  auto first = zap_handler::start(context, allowed);
  REQUIRE(first);
  auto second = zap_handler::start(context, allowed);
  REQUIRE_FALSE(second);
  CHECK(second.error() == errc::setup_failed);
  CHECK(second.error().message == "cannot bind inproc://zeromq.zap.01: Address already in use");
  (*first)->stop();
  (*first)->stop(); // idempotent
  // libzmq releases an inproc endpoint asynchronously after the socket closes.
  CHECK(
      qs::test::wait_until([&] { return static_cast<bool>(zap_handler::start(context, allowed)); },
                           std::chrono::seconds(5)));
}
