// The cluster link end to end over real CURVE sockets on 127.0.0.1: a coordinator_link
// and node_links admit, heartbeat, dispatch, answer and re-dispatch (docs/protocol.md).
#include <catch2/catch.hpp>

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <zmq.hpp>

#include "protocol/cbor.hpp"
#include "protocol/envelope.hpp"
#include "protocol/link_messages.hpp"
#include "runtime/cluster/allow_list.hpp"
#include "runtime/cluster/coordinator_link.hpp"
#include "runtime/cluster/curve_keys.hpp"
#include "runtime/cluster/error_domains.hpp"
#include "runtime/cluster/node_link.hpp"
#include "runtime/cluster/socket_thread.hpp"
#include "runtime/storage/errc.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/wait.hpp"

using namespace qs::runtime::cluster;
using namespace std::chrono_literals;
using qs::protocol::role;
using qs::test::wait_until;

namespace {

constexpr auto patience = 5000ms; // for what must happen
constexpr auto interval = 100ms;  // heartbeats

template<class T> T must(qs::expected<T> r) {
  INFO((r ? std::string() : r.error().message));
  REQUIRE(r);
  return std::move(*r);
}

// A payload: one CBOR item (a text string).
std::string item(const std::string& text) {
  return qs::protocol::cbor::writer().text(text).release();
}

// A coordinator on an ephemeral port with three node keys made: "a" and "b" allowed,
// "stranger" not. Records what its callbacks report.
struct cluster {
  qs::test::temp_dir dir;
  zmq::context_t context;
  std::map<std::string, key_pair> keys;
  std::unique_ptr<coordinator_link> coordinator;

  mutable std::mutex mutex;
  std::map<std::string, int> results;           // GUARDED_BY(mutex): task id -> times
  std::map<std::string, std::string> bodies;    // GUARDED_BY(mutex)
  std::vector<std::string> abandoned, logs;     // GUARDED_BY(mutex)
  std::vector<std::error_code> abandoned_codes; // GUARDED_BY(mutex)

  explicit cluster(coordinator_callbacks extra = {}, int max_failed_nodes = 3) {
    for (const char* name : {"a", "b", "stranger"})
      keys[name] = must(generate_keys(dir.file(name)));
    for (const char* name : {"a", "b"})
      must(allow(dir.file("allow"), keys[name].public_key, name));
    coordinator_options o;
    o.keys = must(generate_keys(dir.file("coordinator")));
    o.allow_dir = dir.file("allow");
    o.heartbeat_interval = interval;
    o.task_timeout = 30s; // re-dispatch here comes from a death, never from a timeout
    o.tick = 20ms;
    o.allow_recheck = 20ms;
    o.max_failed_nodes = max_failed_nodes;
    coordinator_callbacks c = std::move(extra);
    c.on_result = [this](const std::string& id, const std::string& payload) {
      std::lock_guard<std::mutex> lock(mutex);
      ++results[id];
      bodies[id] = payload;
    };
    c.on_abandoned = [this](const std::string& id, const qs::error& why) {
      std::lock_guard<std::mutex> lock(mutex);
      abandoned.push_back(id + ": " + why.message);
      abandoned_codes.push_back(why.code);
    };
    c.on_log = [this](const std::string& line) {
      std::lock_guard<std::mutex> lock(mutex);
      logs.push_back(line);
    };
    coordinator = must(coordinator_link::start(context, o, c));
    coordinator_key = o.keys.public_key;
  }

  node_options node(const std::string& name) const {
    node_options o;
    o.coordinator = coordinator->endpoint();
    o.coordinator_key = coordinator_key;
    o.keys = keys.at(name);
    o.node_id = name;
    o.roles = {role::scanner};
    o.capacity = 2;
    o.heartbeat_interval = interval;
    return o;
  }

  void submit(int count) {
    for (int i = 0; i < count; ++i)
      coordinator->submit("t" + std::to_string(i), role::scanner,
                          item("payload " + std::to_string(i)),
                          std::chrono::steady_clock::now() + 30s);
  }

  std::size_t answered() const {
    std::lock_guard<std::mutex> lock(mutex);
    return results.size();
  }

  bool state_is(const std::string& id, node_state state) const {
    for (const node_info& n : coordinator->nodes())
      if (n.id == id)
        return n.state == state;
    return false;
  }

  bool logged(const std::string& part) const {
    std::lock_guard<std::mutex> lock(mutex);
    for (const auto& line : logs)
      if (line.find(part) != std::string::npos)
        return true;
    return false;
  }

  std::string coordinator_key;
};

// Answers every task with its body, and counts them.
struct echo {
  std::mutex mutex;
  int tasks = 0; // GUARDED_BY(mutex)

  node_callbacks callbacks() {
    node_callbacks c;
    c.on_task = [this](const std::string&, role, const std::string& payload, task_reply reply) {
      {
        std::lock_guard<std::mutex> lock(mutex);
        ++tasks;
      }
      reply(payload);
    };
    return c;
  }
  int count() {
    std::lock_guard<std::mutex> lock(mutex);
    return tasks;
  }
};

} // namespace

TEST_CASE("two nodes join and answer every submitted task exactly once", "[cluster_link]") {
  cluster c;
  REQUIRE(c.coordinator->endpoint().rfind("tcp://127.0.0.1:", 0) == 0);
  REQUIRE(c.coordinator->endpoint() != "tcp://127.0.0.1:0");
  echo at_a, at_b;
  auto a = must(node_link::start(c.context, c.node("a"), at_a.callbacks()));
  auto b = must(node_link::start(c.context, c.node("b"), at_b.callbacks()));
  REQUIRE(wait_until([&] { return c.state_is("a", node_state::up); }, patience));
  REQUIRE(wait_until([&] { return c.state_is("b", node_state::up); }, patience));
  CHECK(wait_until([&] { return a->admitted() && b->admitted(); }, patience));

  c.submit(40);
  REQUIRE(wait_until([&] { return c.answered() == 40; }, patience));
  c.coordinator->stop(); // no callback after this: the counts are final
  std::lock_guard<std::mutex> lock(c.mutex);
  for (int i = 0; i < 40; ++i) {
    const std::string id = "t" + std::to_string(i);
    CHECK(c.results[id] == 1);
    CHECK(c.bodies[id] == item("payload " + std::to_string(i)));
  }
  CHECK(c.abandoned.empty());
  CHECK(at_a.count() > 0);
  CHECK(at_b.count() > 0);
  // More only if a node reconnected under load and a task was re-dispatched.
  CHECK(at_a.count() + at_b.count() >= 40);
}

TEST_CASE("tasks waiting for a node reach it together in one batch, and each is answered once",
          "[cluster_link]") {
  cluster c;
  c.submit(50); // no node has a credit yet: they wait in the dispatcher
  echo at_a;
  node_options o = c.node("a");
  o.capacity = 64;
  auto a = must(node_link::start(c.context, o, at_a.callbacks()));
  REQUIRE(wait_until([&] { return c.answered() == 50; }, patience));
  c.coordinator->stop(); // no callback after this: the counts are final
  std::lock_guard<std::mutex> lock(c.mutex);
  for (int i = 0; i < 50; ++i) {
    const std::string id = "t" + std::to_string(i);
    CHECK(c.results[id] == 1);
    CHECK(c.bodies[id] == item("payload " + std::to_string(i)));
  }
  CHECK(c.abandoned.empty());
  CHECK(at_a.count() == 50);
  // The node's READY credits them all at once: the 50 TASKs leave in one ZeroMQ message.
  CHECK(c.coordinator->messages_sent() - c.coordinator->wire_messages_sent() >= 49);
}

TEST_CASE("a node that dies mid-task is declared dead and its tasks go to the other node",
          "[cluster_link]") {
  cluster c;
  echo at_a;
  std::mutex held_mutex;
  std::vector<task_reply> held; // GUARDED_BY(held_mutex): tasks b took and never answers
  node_callbacks hold;
  hold.on_task = [&](const std::string&, role, const std::string&, task_reply r) {
    std::lock_guard<std::mutex> lock(held_mutex);
    held.push_back(std::move(r));
  };
  auto b = must(node_link::start(c.context, c.node("b"), hold));
  REQUIRE(wait_until([&] { return c.state_is("b", node_state::up); }, patience));
  c.submit(10);
  REQUIRE(wait_until([&] { return c.coordinator->nodes().front().in_flight == 2; }, patience));
  auto a = must(node_link::start(c.context, c.node("a"), at_a.callbacks()));
  REQUIRE(wait_until([&] { return c.answered() == 8; }, patience)); // a took the rest

  const auto killed = std::chrono::steady_clock::now();
  b.reset(); // as if killed: no BYE
  REQUIRE(wait_until([&] { return c.state_is("b", node_state::dead); }, patience));
  const auto took = std::chrono::steady_clock::now() - killed;
  INFO("declared dead after " << std::chrono::duration_cast<std::chrono::milliseconds>(took).count()
                              << " ms");
  CHECK(took < 3 * interval + 400ms); // 3 intervals of silence, a tick, and CI slack
  REQUIRE(wait_until([&] { return c.answered() == 10; }, patience));
  CHECK(c.logged("node b is dead"));

  {
    std::lock_guard<std::mutex> lock(held_mutex);
    REQUIRE(held.size() == 2);
    for (auto& reply : held)
      reply(item("too late")); // the link is gone: nothing is sent, nothing breaks
  }
  c.coordinator->stop();
  std::lock_guard<std::mutex> lock(c.mutex);
  for (const auto& [id, times] : c.results) {
    CHECK(times == 1);
    CHECK(c.bodies[id] != item("too late"));
  }
  CHECK(at_a.count() == 10);
  CHECK(c.abandoned.empty());
}

TEST_CASE("a node whose key is not allowed never joins and gets no task", "[cluster_link]") {
  cluster c;
  echo at_a, at_stranger;
  auto stranger = must(node_link::start(c.context, c.node("stranger"), at_stranger.callbacks()));
  auto a = must(node_link::start(c.context, c.node("a"), at_a.callbacks()));
  REQUIRE(wait_until([&] { return c.state_is("a", node_state::up); }, patience));
  c.submit(10);
  REQUIRE(wait_until([&] { return c.answered() == 10; }, patience));
  // Refused by ZAP, the stranger hears nothing and tries again with a new socket.
  REQUIRE(wait_until([&] { return stranger->reconnects() >= 2; }, patience));

  const auto nodes = c.coordinator->nodes();
  REQUIRE(nodes.size() == 1);
  CHECK(nodes.front().id == "a");
  CHECK_FALSE(stranger->admitted());
  CHECK(at_stranger.count() == 0);
  CHECK(at_a.count() == 10);
}

TEST_CASE("a node claiming another protocol version is refused with the reason", "[cluster_link]") {
  cluster c;
  std::mutex mutex;
  std::condition_variable refused_cv;
  std::optional<qs::error> reason; // GUARDED_BY(mutex)
  std::vector<std::string> frames; // GUARDED_BY(mutex)

  SECTION("in its HELLO: a REFUSE with the code version_mismatch") {
    node_options o = c.node("a");
    o.hello_protocol_version = 1;
    node_callbacks cb;
    cb.on_refused = [&](const qs::error& why) {
      std::lock_guard<std::mutex> lock(mutex);
      reason = why;
      refused_cv.notify_all();
    };
    auto a = must(node_link::start(c.context, o, cb));
    std::unique_lock<std::mutex> lock(mutex);
    REQUIRE(refused_cv.wait_for(lock, patience, [&] { return reason.has_value(); }));
    CHECK(*reason == qs::protocol::wire_errc::version_mismatch);
    CHECK(reason->message == "protocol version 1, this node speaks 3");
    CHECK_FALSE(a->admitted());
    lock.unlock();
    CHECK(c.logged("refused node a: protocol version 1, this node speaks 3"));
  }

  SECTION("in the version frame of its messages: a REFUSE in its own version, as text") {
    socket_options o;
    o.type = ZMQ_DEALER;
    o.bind_or_connect = c.coordinator->endpoint();
    o.public_key = c.keys.at("a").public_key;
    o.secret_key = c.keys.at("a").secret_key;
    o.server_key = c.coordinator_key;
    auto raw = must(socket_thread::start(c.context, o, [&](received m) {
      std::lock_guard<std::mutex> lock(mutex);
      frames = m.frames;
      refused_cv.notify_all();
    }));
    // What a version 1 node says first: its JSON HELLO.
    raw->send({std::string("\x00\x01", 2), "\x01", "", R"({"node_id":"a"})"});
    std::unique_lock<std::mutex> lock(mutex);
    REQUIRE(refused_cv.wait_for(lock, patience, [&] { return !frames.empty(); }));
    REQUIRE(frames.size() == 4);
    CHECK(frames[0] == std::string("\x00\x01", 2)); // version 1 reads this REFUSE
    CHECK(frames[1] == "\x03");
    CHECK(frames[3] == "protocol version 1, this node speaks 3");
    lock.unlock();
    CHECK(c.coordinator->malformed() == 1);
    CHECK(c.logged("protocol version 1, this node speaks 3"));
    raw->stop();
  }

  SECTION("in the framing of version 2 (no BATCH): a REFUSE that version 2 decodes") {
    socket_options o;
    o.type = ZMQ_DEALER;
    o.bind_or_connect = c.coordinator->endpoint();
    o.public_key = c.keys.at("a").public_key;
    o.secret_key = c.keys.at("a").secret_key;
    o.server_key = c.coordinator_key;
    auto raw = must(socket_thread::start(c.context, o, [&](received m) {
      std::lock_guard<std::mutex> lock(mutex);
      frames = m.frames;
      refused_cv.notify_all();
    }));
    // What a version 2 node says first: its CBOR HELLO in version 2 frames.
    qs::protocol::hello hello;
    hello.node_id = "a";
    hello.capacity = 1;
    hello.protocol_version = 2;
    hello.public_key = c.keys.at("a").public_key;
    raw->send({std::string("\x00\x02", 2), "\x01", "", qs::protocol::encode(hello)});
    std::unique_lock<std::mutex> lock(mutex);
    REQUIRE(refused_cv.wait_for(lock, patience, [&] { return !frames.empty(); }));
    REQUIRE(frames.size() == 4);
    CHECK(frames[0] == std::string("\x00\x02", 2));
    CHECK(frames[1] == "\x03");
    // Version 2 reads a REFUSE's body as {"error": ...}: it stops with this code and sentence.
    auto refusal = qs::protocol::decode_refuse(frames[3]);
    REQUIRE(refusal);
    CHECK(from_wire(refusal->error) == qs::protocol::wire_errc::version_mismatch);
    CHECK(refusal->error.message == "protocol version 2, this node speaks 3");
    lock.unlock();
    CHECK(c.logged("protocol version 2, this node speaks 3"));
    raw->stop();
  }
  CHECK(c.coordinator->nodes().empty());
}

TEST_CASE("requests are answered by correlation id: each handler gets its own reply, errors "
          "keep their code",
          "[cluster_link]") {
  // The coordinator answers REQUEST_MODEL at once with an error, and REQUEST_JOB only
  // when the second job arrives, the second first: replies come out of order.
  std::mutex mutex;
  std::vector<request_answer> jobs; // GUARDED_BY(mutex)
  coordinator_callbacks answers;
  answers.on_request = [&](const std::string&, qs::protocol::message_type kind,
                           const std::string& body, request_answer answer) {
    if (kind == qs::protocol::message_type::request_model)
      return answer(qs::error(qs::runtime::storage::errc::unavailable, "database is down"));
    std::lock_guard<std::mutex> lock(mutex);
    jobs.push_back(std::move(answer));
    if (jobs.size() == 2) {
      jobs[1](body); // echo the second job's body
      jobs[0](item("first"));
    }
  };
  cluster c(answers);
  echo at_a;
  auto a = must(node_link::start(c.context, c.node("a"), at_a.callbacks()));
  REQUIRE(wait_until([&] { return a->admitted(); }, patience));

  std::vector<std::optional<qs::expected<std::string>>> got(3); // GUARDED_BY(mutex)
  const auto keep = [&](std::size_t i) {
    return [&, i](qs::expected<std::string> answer) {
      std::lock_guard<std::mutex> lock(mutex);
      got[i] = std::move(answer);
    };
  };
  a->request(qs::protocol::message_type::request_job, item("job 1"), keep(0));
  a->request(qs::protocol::message_type::request_model, item("model"), keep(1));
  a->request(qs::protocol::message_type::request_job, item("job 2"), keep(2));
  REQUIRE(wait_until(
      [&] {
        std::lock_guard<std::mutex> lock(mutex);
        return got[0] && got[1] && got[2];
      },
      patience));
  std::lock_guard<std::mutex> lock(mutex);
  REQUIRE(*got[0]);
  CHECK(**got[0] == item("first"));
  REQUIRE(*got[2]);
  CHECK(**got[2] == item("job 2"));
  REQUIRE_FALSE(*got[1]);
  CHECK(got[1]->error() == qs::runtime::storage::errc::unavailable); // a storage error stays one
  CHECK(got[1]->error().message == "database is down");
  CHECK(a->pending_requests() == 0);
}

TEST_CASE("a request the coordinator never answers times out at the node, once", "[cluster_link]") {
  coordinator_callbacks silent;
  silent.on_request = [](const std::string&, qs::protocol::message_type, const std::string&,
                         request_answer) {};
  cluster c(silent);
  node_options o = c.node("a");
  o.request_timeout = 300ms;
  auto a = must(node_link::start(c.context, o, {}));
  REQUIRE(wait_until([&] { return a->admitted(); }, patience));
  std::mutex mutex;
  int calls = 0;                  // GUARDED_BY(mutex)
  std::optional<qs::error> error; // GUARDED_BY(mutex)
  a->request(qs::protocol::message_type::request_cluster, item("{}"),
             [&](qs::expected<std::string> answer) {
               std::lock_guard<std::mutex> lock(mutex);
               ++calls;
               if (!answer)
                 error = answer.error();
             });
  REQUIRE(wait_until(
      [&] {
        std::lock_guard<std::mutex> lock(mutex);
        return calls > 0;
      },
      patience));
  std::this_thread::sleep_for(3 * interval); // more ticks: still once
  std::lock_guard<std::mutex> lock(mutex);
  CHECK(calls == 1);
  REQUIRE(error);
  CHECK(*error == errc::timeout);
}

TEST_CASE("a task that fails with a storage error is given up with that code", "[cluster_link]") {
  cluster c({}, /*max_failed_nodes=*/1);
  node_callbacks failing;
  failing.on_task = [](const std::string&, role, const std::string&, task_reply reply) {
    reply(qs::error(qs::runtime::storage::errc::unavailable, "disk full"));
  };
  auto a = must(node_link::start(c.context, c.node("a"), failing));
  REQUIRE(wait_until([&] { return a->admitted(); }, patience));
  c.submit(1);
  REQUIRE(wait_until(
      [&] {
        std::lock_guard<std::mutex> lock(c.mutex);
        return !c.abandoned.empty();
      },
      patience));
  {
    std::lock_guard<std::mutex> lock(c.mutex);
    CHECK(c.abandoned_codes.front() == qs::runtime::storage::errc::unavailable);
    CHECK(c.abandoned.front() == "t0: failed on 1 nodes (a); last: disk full");
  }
  // The list is a snapshot, refreshed every tick.
  REQUIRE(wait_until([&] { return c.coordinator->dead_letters().size() == 1; }, patience));
  const auto letters = c.coordinator->dead_letters();
  CHECK(letters.front().reason == "failed on 1 nodes (a); last: disk full");
}
