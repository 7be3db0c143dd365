// BATCH on the wire (protocol/message_batch.hpp): several messages for one peer in one
// ZeroMQ message, read back exactly; what may not travel in one is refused with its
// path; and `coalesce`, which the socket threads run on what they are about to send,
// groups each peer's runs and keeps every peer's order.
#include <catch2/catch.hpp>

#include "protocol/cbor.hpp"
#include "protocol/message_batch.hpp"

using namespace qs::protocol;

namespace {

using frames = std::vector<std::string>;

envelope message(message_type type, std::string id, std::string body) {
  return {wire_version, type, std::move(id), std::move(body)};
}

// A queued message as a ROUTER sends it: the peer's routing id, then its four frames.
frames to(const std::string& route, envelope m) {
  frames out{route};
  for (auto& frame : encode(std::move(m)))
    out.push_back(std::move(frame));
  return out;
}

// What a peer reads out of a sent message: itself, or a BATCH's messages.
std::vector<envelope> read(const frames& sent, bool routed) {
  auto outer = decode(routed ? frames(sent.begin() + 1, sent.end()) : sent);
  REQUIRE(outer);
  if (outer->type != message_type::batch)
    return {*outer};
  auto inside = unpack(outer->body, outer->version);
  REQUIRE(inside);
  return *inside;
}

std::string ids(const std::vector<envelope>& messages) {
  std::string out;
  for (const auto& m : messages)
    out += (out.empty() ? "" : ",") + m.correlation_id;
  return out;
}

qs::error unpack_error(const std::string& body) {
  auto got = unpack(body, wire_version);
  REQUIRE_FALSE(got);
  return got.error();
}

// [[type, id, body], ...] written by hand, to build what `pack` never writes.
struct hand_batch {
  cbor::writer w;
  explicit hand_batch(std::size_t n) { w.array(n); }
  hand_batch& add(std::uint64_t type, std::string_view id = "", std::string_view body = "") {
    w.array(3).unsigned_int(type).bytes(id).bytes(body);
    return *this;
  }
  std::string bytes() { return w.release(); }
};

} // namespace

TEST_CASE("wire codec: a batch carries its messages exactly and in order", "[wire][batch]") {
  const std::vector<envelope> sent{
      message(message_type::task, "t-1", std::string("\xa1\x00\xff", 3)),
      message(message_type::heartbeat, "", ""),
      message(message_type::result, std::string("id\0nul", 6), std::string(70000, '\x7f')),
      message(message_type::request_storage, "17", "\x80")};
  const std::string body = pack(sent);
  const auto got = unpack(body, wire_version);
  REQUIRE(got);
  REQUIRE(got->size() == sent.size());
  for (std::size_t i = 0; i < sent.size(); ++i) {
    INFO(i);
    CHECK((*got)[i].version == wire_version);
    CHECK((*got)[i].type == sent[i].type);
    CHECK((*got)[i].correlation_id == sent[i].correlation_id);
    CHECK((*got)[i].body == sent[i].body);
  }
  // One encoding per batch: what was read packs to the same bytes.
  CHECK(pack(*got) == body);
}

TEST_CASE("wire codec: HELLO, WELCOME, REFUSE and BATCH never travel in a batch", "[wire][batch]") {
  for (message_type type :
       {message_type::hello, message_type::welcome, message_type::refuse, message_type::batch})
    CHECK_FALSE(batchable(type));
  for (message_type type : {message_type::task, message_type::result, message_type::ready,
                            message_type::reply, message_type::request_job, message_type::bye})
    CHECK(batchable(type));
  const auto hello = unpack_error(hand_batch(2).add(0x06).add(0x01).bytes());
  CHECK(hello.message == "batch[1][0]: hello never travels in a batch");
  CHECK(hello == wire_errc::bad_field);
  CHECK(unpack_error(hand_batch(2).add(0x14).add(0x06).bytes()).message ==
        "batch[0][0]: batch never travels in a batch");
}

TEST_CASE("wire codec: a bad batch is refused with its path and code", "[wire][batch]") {
  CHECK(unpack_error(hand_batch(1).add(0x06).bytes()).message ==
        "batch: a batch holds at least 2 messages, got 1");
  CHECK(unpack_error(hand_batch(2).add(0x06).add(0x7f).bytes()).message ==
        "batch[1][0]: unknown message type 0x7f");
  CHECK(unpack_error(hand_batch(2).add(0x06).add(0x0b).bytes()).message ==
        "batch[1][0]: unknown message type 0x0b"); // retired
  CHECK(unpack_error(hand_batch(2).add(0x06).add(256).bytes()).message ==
        "batch[1][0]: unknown message type 256");
  {
    cbor::writer w;
    w.array(2).array(3).unsigned_int(6).bytes("").bytes("");
    w.array(2).unsigned_int(6).bytes("");
    CHECK(unpack_error(w.release()).message ==
          "batch[1]: a message in a batch is [type, correlation id, body], got 2 items");
  }
  {
    cbor::writer w;
    w.array(2).array(3).unsigned_int(6).bytes("").bytes("");
    w.array(3).unsigned_int(6).text("id").bytes("");
    const auto text_id = unpack_error(w.release());
    CHECK(text_id.message == "batch[1][1]: expected a byte string, got a text string");
    CHECK(text_id == wire_errc::bad_field);
  }
  const std::string good =
      pack({message(message_type::task, "a", "b"), message(message_type::task, "c", "d")});
  CHECK(unpack_error(good + "x") == wire_errc::malformed);
  CHECK(unpack_error(good.substr(0, good.size() - 1)) == wire_errc::malformed);
  CHECK(unpack_error("") == wire_errc::malformed);
  CHECK(unpack_error("\xa0").message == "batch: expected an array, got a map");
}

TEST_CASE("coalesce: each peer's run of messages goes in one batch, in order", "[wire][batch]") {
  std::vector<frames> queued{
      to("w1", message(message_type::task, "1", "a")),
      to("w2", message(message_type::task, "2", "b")),
      to("w1", message(message_type::task, "3", "c")),
      to("w1", message(message_type::heartbeat, "", "")),
      to("w2", message(message_type::shard_map, "", "m")),
      to("w3", message(message_type::reply, "4", "d")),
  };
  const auto sent = coalesce(queued, /*routed=*/true);
  REQUIRE(sent.size() == 3);
  CHECK(sent[0][0] == "w1");
  CHECK(ids(read(sent[0], true)) == "1,3,");
  CHECK(read(sent[0], true).back().type == message_type::heartbeat);
  CHECK(sent[1][0] == "w2");
  CHECK(ids(read(sent[1], true)) == "2,");
  // A message alone goes as itself, frame for frame.
  CHECK(sent[2] == queued[5]);
}

TEST_CASE("coalesce: a message that may not be batched keeps its place among its peer's",
          "[wire][batch]") {
  std::vector<frames> queued{
      to("w1", message(message_type::task, "1", "")),
      to("w1", message(message_type::task, "2", "")),
      to("w1", message(message_type::welcome, "w", "")),
      to("w1", message(message_type::task, "3", "")),
      to("w1", message(message_type::task, "4", "")),
  };
  // Another version's REFUSE (protocol::version_refusal) is never touched either.
  frames refusal{"old", std::string("\x00\x01", 2), "\x03", "", "protocol version 1"};
  queued.insert(queued.begin() + 1, refusal);
  const auto sent = coalesce(queued, /*routed=*/true);
  REQUIRE(sent.size() == 4);
  CHECK(ids(read(sent[0], true)) == "1,2");
  CHECK(sent[1] == refusal);
  CHECK(read(sent[2], true).front().type == message_type::welcome);
  CHECK(ids(read(sent[3], true)) == "3,4");
}

TEST_CASE("coalesce: a DEALER's messages all go to its one peer", "[wire][batch]") {
  std::vector<frames> queued;
  for (int i = 0; i < 5; ++i)
    queued.push_back(encode(message(message_type::result, std::to_string(i), "r")));
  queued.push_back(encode(message(message_type::ready, "", "credits")));
  const auto sent = coalesce(queued, /*routed=*/false);
  REQUIRE(sent.size() == 1);
  CHECK(ids(read(sent[0], false)) == "0,1,2,3,4,");
  CHECK(coalesce({}, false).empty());
}

TEST_CASE("coalesce: a batch holds at most its limits, and the next one follows", "[wire][batch]") {
  std::vector<frames> queued;
  for (int i = 0; i < 7; ++i)
    queued.push_back(to("w1", message(message_type::task, std::to_string(i), "0123456789")));
  SECTION("messages") {
    const auto sent = coalesce(queued, true, {3, std::size_t{1} << 20});
    REQUIRE(sent.size() == 3);
    CHECK(ids(read(sent[0], true)) == "0,1,2");
    CHECK(ids(read(sent[1], true)) == "3,4,5");
    CHECK(ids(read(sent[2], true)) == "6");
  }
  SECTION("bytes: correlation ids and bodies") {
    const auto sent = coalesce(queued, true, {256, 22});
    REQUIRE(sent.size() == 4);
    CHECK(ids(read(sent[0], true)) == "0,1");
    CHECK(ids(read(sent[3], true)) == "6");
  }
  SECTION("a message larger than the limit goes alone") {
    queued.insert(queued.begin() + 1,
                  to("w1", message(message_type::task, "big", "xxxxxxxxxxxxxxx")));
    const auto sent = coalesce(queued, true, {256, 12});
    REQUIRE(sent.size() == 8);
    CHECK(ids(read(sent[1], true)) == "big");
  }
}
