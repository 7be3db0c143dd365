// The bodies of the link's own messages (protocol/link_messages.hpp) and errors on the
// wire (protocol/error_codec.hpp): each round-trips field for field, ignores a newer
// peer's fields, and names its first bad field.
#include <catch2/catch.hpp>

#include "protocol/cbor.hpp"
#include "protocol/link_messages.hpp"
#include "runtime/cluster/error_domains.hpp"

using namespace qs::protocol;
namespace cluster = qs::runtime::cluster;
namespace storage = qs::runtime::storage;

namespace {

const std::string a_key = "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7";

// A CBOR item, to stand for a payload.
std::string item(const std::string& text) {
  return cbor::writer().text(text).release();
}

// An encoded map with one more field at the end, as a newer peer might send.
std::string with_extra_field(std::string encoded) {
  REQUIRE(!encoded.empty());
  const auto head = static_cast<unsigned char>(encoded[0]);
  REQUIRE((head >> 5) == 5);
  REQUIRE((head & 0x1f) < 23);
  encoded[0] = static_cast<char>(head + 1);
  return encoded + cbor::writer().text("a_later_field").array(1).text("c-7").release();
}

} // namespace

TEST_CASE("a hello round-trips field for field, and one from a newer node is accepted",
          "[link_messages]") {
  hello sent{"node-0123456789ab",
             {role::predictor, role::persistence},
             8,
             wire_version,
             a_key,
             "http://10.0.0.2:8080",
             "0123abcd",
             "postgresql",
             "qc-1"};
  auto got = decode_hello(encode(sent));
  REQUIRE(got);
  CHECK(got->database_id == "0123abcd");
  CHECK(got->database_kind == "postgresql");
  CHECK(got->database_cluster == "qc-1");
  CHECK(got->node_id == sent.node_id);
  CHECK(got->roles == sent.roles);
  CHECK(got->capacity == 8);
  CHECK(got->protocol_version == wire_version);
  CHECK(got->public_key == a_key);
  CHECK(got->address == sent.address);
  auto newer = decode_hello(with_extra_field(encode(sent)));
  REQUIRE(newer);
  CHECK(newer->node_id == sent.node_id);
  // The address may be left out.
  cbor::writer w;
  w.map(5).text("node_id").text("n").text("roles").array(0).text("capacity").unsigned_int(0);
  w.text("protocol_version").unsigned_int(2).text("public_key").text("k");
  auto minimal = decode_hello(w.data());
  REQUIRE(minimal);
  CHECK(minimal->address.empty());
}

TEST_CASE("a hello with a missing or mistyped field names the field", "[link_messages]") {
  const auto error_of = [](const std::string& bytes) {
    auto got = decode_hello(bytes);
    REQUIRE_FALSE(got);
    CHECK(got.error() == wire_errc::bad_field);
    return got.error().message;
  };
  const auto without = [](const char* skipped, const std::string& replaced = {}) {
    cbor::writer w;
    const char* names[] = {"node_id", "roles", "capacity", "protocol_version", "public_key"};
    w.map(skipped && replaced.empty() ? 4 : 5);
    for (const char* name : names) {
      const bool is = skipped && std::string(name) == skipped;
      if (is && replaced.empty())
        continue;
      w.text(name);
      if (is)
        w.raw(replaced);
      else if (std::string(name) == "roles")
        w.array(1).unsigned_int(1);
      else if (std::string(name) == "capacity")
        w.unsigned_int(4);
      else if (std::string(name) == "protocol_version")
        w.unsigned_int(2);
      else
        w.text("x");
    }
    return w.release();
  };
  REQUIRE(decode_hello(without(nullptr)));
  CHECK(error_of(without("node_id")) == "hello.node_id: is missing");
  CHECK(error_of(without("roles")) == "hello.roles: is missing");
  CHECK(error_of(without("capacity")) == "hello.capacity: is missing");
  CHECK(error_of(without("public_key")) == "hello.public_key: is missing");
  CHECK(error_of(without("node_id", cbor::writer().unsigned_int(7).release())) ==
        "hello.node_id: expected a text string, got an unsigned integer");
  CHECK(error_of(without("node_id", item(""))) == "hello.node_id: must not be empty");
  CHECK(error_of(without("roles", item("predictor"))) ==
        "hello.roles: expected an array, got a text string");
  CHECK(error_of(
            without("roles", cbor::writer().array(2).unsigned_int(1).unsigned_int(9).release())) ==
        "hello.roles[1]: unknown code 9");
  CHECK(error_of(without("capacity", cbor::writer().integer(-1).release())) ==
        "hello.capacity: expected an integer from 0 to 2147483647, got -1");
  CHECK(error_of(without("capacity", cbor::writer().float64(1.5).release())) ==
        "hello.capacity: expected an integer from -2147483648 to 2147483647, got a float64");
  CHECK(error_of(without("protocol_version", cbor::writer().unsigned_int(70000).release())) ==
        "hello.protocol_version: expected an integer from 0 to 65535, got 70000");
  auto json = decode_hello(R"({"node_id":"n"})");
  REQUIRE_FALSE(json);
  CHECK(json.error() == wire_errc::bad_field);
  CHECK(json.error().message == "hello: expected a map, got a text string");
}

TEST_CASE("welcome, ready, task, result, shard map and role down round-trip", "[link_messages]") {
  auto w = decode_welcome(encode(welcome{"n-1", "coordinator-9", 1000, "qc-5"}));
  REQUIRE(w);
  CHECK(w->cluster_id == "qc-5");
  CHECK(w->node_id == "n-1");
  CHECK(w->coordinator_id == "coordinator-9");
  CHECK(w->heartbeat_interval_ms == 1000);
  CHECK(decode_welcome(with_extra_field(encode(welcome{"n-1", "c", 1, ""}))));

  auto r = decode_ready(encode(ready{role::scanner, 1000000}));
  REQUIRE(r);
  CHECK(r->role == role::scanner);
  CHECK(r->credits == 1000000);
  auto too_many = decode_ready(encode(ready{role::scanner, 1000001}));
  REQUIRE_FALSE(too_many);
  CHECK(too_many.error().message == "ready.credits: expected an integer from 0 to 1000000, got "
                                    "1000001");

  const std::string payload = cbor::writer().map(1).text("results").array(0).release();
  auto t = decode_task(encode(task{role::anomaly, 3, 1234567, payload}));
  REQUIRE(t);
  CHECK(t->role == role::anomaly);
  CHECK(t->attempt == 3);
  CHECK(t->deadline_ms == 1234567);
  CHECK(t->payload == payload); // the item itself, in place: not a string
  const std::string encoded = encode(task{role::anomaly, 1, 0, payload});
  CHECK(encoded.find(payload) != std::string::npos);
  CHECK(encoded.find(cbor::writer().bytes(payload).release()) == std::string::npos);

  auto result = decode_task_result(encode(task_result{payload}));
  REQUIRE(result);
  CHECK(result->payload == payload);

  auto map = decode_shard_map(encode(shard_map{role::anomaly, 42, {"a", "b"}}));
  REQUIRE(map);
  CHECK(map->role == role::anomaly);
  CHECK(map->generation == 42);
  CHECK(map->nodes == std::vector<std::string>{"a", "b"});

  auto down = decode_role_down(encode(role_down{role::persistence}));
  REQUIRE(down);
  CHECK(down->role == role::persistence);
}

TEST_CASE("a task's payload must be one well-formed item", "[link_messages]") {
  cbor::writer w;
  w.map(4).text("role").unsigned_int(1).text("attempt").unsigned_int(1);
  w.text("deadline_ms").unsigned_int(5).text("payload").array(3).unsigned_int(1);
  auto cut = decode_task(w.data());
  REQUIRE_FALSE(cut);
  CHECK(cut.error() == wire_errc::malformed);
  CHECK(cut.error().message.rfind("task.payload: ", 0) == 0);
}

TEST_CASE("an error crosses the wire as domain, code and message, and comes back the same",
          "[link_messages][errors]") {
  const qs::error sent(storage::errc::unavailable, "cannot open var/qscan.db: disk I/O error");
  auto failure = decode_task_failure(encode(task_failure{to_wire(sent)}));
  REQUIRE(failure);
  CHECK(failure->error.domain == "storage");
  CHECK(failure->error.code == 1);
  const qs::error back = cluster::from_wire(failure->error);
  CHECK(back == storage::errc::unavailable);
  CHECK(back != storage::errc::timeout);
  CHECK(back.message == sent.message);
  CHECK(back.code_name() == "storage.unavailable");

  for (const qs::error& e :
       {qs::error(wire_errc::version_mismatch, "v"), qs::error(cluster::errc::timeout, "t"),
        qs::error(cluster::errc::not_offered, "n")}) {
    const qs::error again = cluster::from_wire(to_wire(e));
    CHECK(again.code == e.code);
    CHECK(again.message == e.message);
  }
  // A newer peer's code in a known domain keeps its number.
  const qs::error newer = cluster::from_wire(wire_error{"cluster", 99, "new"});
  CHECK(newer.code.value() == 99);
  CHECK(std::string(newer.code.category().name()) == "cluster");
  // An unknown domain says so, with everything it was told.
  const qs::error unknown = cluster::from_wire(wire_error{"gpu", 3, "out of memory"});
  CHECK(unknown == wire_errc::unknown_domain);
  CHECK(unknown.message == "out of memory (error 3 of the unknown domain \"gpu\")");
}

TEST_CASE("refuse and reply carry an error with its code; a reply holds a value or an error",
          "[link_messages][errors]") {
  auto refused = decode_refuse(
      encode(refuse{to_wire(qs::error(cluster::errc::id_taken, "node id n1 is bound"))}));
  REQUIRE(refused);
  CHECK(cluster::from_wire(refused->error) == cluster::errc::id_taken);

  const std::string value = cbor::writer().map(1).text("status").unsigned_int(200).release();
  auto ok = decode_reply(encode(reply{true, value, {}}));
  REQUIRE(ok);
  CHECK(ok->ok);
  CHECK(ok->value == value);

  auto failed = decode_reply(
      encode(reply{false, {}, to_wire(qs::error(cluster::errc::timeout, "no answer"))}));
  REQUIRE(failed);
  CHECK_FALSE(failed->ok);
  CHECK(cluster::from_wire(failed->error) == cluster::errc::timeout);

  cbor::writer both;
  both.map(2).text("value").null().text("error").raw(cbor::encode(wire_error{"wire", 1, "x"}));
  auto refused_both = decode_reply(both.data());
  REQUIRE_FALSE(refused_both);
  CHECK(refused_both.error().message == "reply.error: a reply holds a value or an error, not both");
  auto neither = decode_reply(cbor::writer().map(1).text("other").null().release());
  REQUIRE_FALSE(neither);
  CHECK(neither.error().message == "reply: holds neither a value nor an error");
  CHECK(decode_reply(with_extra_field(encode(reply{true, value, {}}))));
}
