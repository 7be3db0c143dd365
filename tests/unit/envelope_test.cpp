// The frames of the cluster wire (protocol/envelope.hpp): types, versions, and every
// way a message can fail to be one, each with its code.
#include <catch2/catch.hpp>

#include "protocol/envelope.hpp"
#include "protocol/link_messages.hpp"

using namespace qs::protocol;

namespace {

constexpr message_type every_type[] = {
    message_type::hello,        message_type::welcome,       message_type::refuse,
    message_type::ready,        message_type::heartbeat,     message_type::task,
    message_type::result,       message_type::failed,        message_type::bye,
    message_type::shard_map,    message_type::reply,         message_type::role_down,
    message_type::request_job,  message_type::request_store, message_type::request_cluster,
    message_type::request_scan, message_type::request_model, message_type::request_storage,
    message_type::batch,
};

qs::error error_of(const std::vector<std::string>& frames) {
  auto decoded = decode(frames);
  REQUIRE_FALSE(decoded);
  return decoded.error();
}

const std::string v3("\x00\x03", 2);

} // namespace

TEST_CASE("every message type survives a round trip through the wire format", "[envelope]") {
  for (message_type type : every_type) {
    INFO(to_string(type));
    envelope sent{wire_version, type, "corr-42", std::string("body\0with nul", 13)};
    auto got = decode(encode(sent));
    REQUIRE(got);
    CHECK(got->version == wire_version);
    CHECK(got->type == type);
    CHECK(got->correlation_id == "corr-42");
    CHECK(got->body == sent.body);
  }
}

TEST_CASE("the wire format is four frames with a big-endian version and a one-byte type",
          "[envelope]") {
  auto frames = encode({0x0102, message_type::shard_map, "", ""});
  REQUIRE(frames.size() == 4);
  CHECK(frames[0] == std::string("\x01\x02", 2));
  CHECK(frames[1] == std::string("\x0a", 1));
  CHECK(frames[2].empty());
  CHECK(frames[3].empty());
  CHECK(encode({wire_version, message_type::hello, "c", "b"})[0] == v3);
  CHECK(version_of(frames) == 0x0102);
  CHECK_FALSE(version_of({"\x01"}));
}

TEST_CASE("message type codes are stable, named, and never reuse a retired one", "[envelope]") {
  CHECK(wire_version == 3);
  const std::pair<message_type, int> codes[] = {{message_type::hello, 0x01},
                                                {message_type::welcome, 0x02},
                                                {message_type::refuse, 0x03},
                                                {message_type::ready, 0x04},
                                                {message_type::heartbeat, 0x05},
                                                {message_type::task, 0x06},
                                                {message_type::result, 0x07},
                                                {message_type::failed, 0x08},
                                                {message_type::bye, 0x09},
                                                {message_type::shard_map, 0x0a},
                                                {message_type::reply, 0x0c},
                                                {message_type::role_down, 0x0d},
                                                {message_type::request_job, 0x0e},
                                                {message_type::request_store, 0x0f},
                                                {message_type::request_cluster, 0x10},
                                                {message_type::request_scan, 0x11},
                                                {message_type::request_model, 0x12},
                                                {message_type::request_storage, 0x13},
                                                {message_type::batch, 0x14}};
  for (const auto& [type, code] : codes) {
    CHECK(static_cast<int>(type) == code);
    CHECK(message_type_from_code(static_cast<std::uint8_t>(code)) == type);
  }
  CHECK(to_string(message_type::request_model) == "request_model");
  CHECK(to_string(static_cast<message_type>(0x7f)) == "unknown");
  CHECK_FALSE(message_type_from_code(0x00));
  CHECK_FALSE(message_type_from_code(0x0b)); // version 1's text REQUEST: retired
  CHECK_FALSE(message_type_from_code(0x15));
  CHECK(to_string(message_type::batch) == "batch");
  for (message_type type : every_type)
    CHECK(is_request(type) == (static_cast<int>(type) >= 0x0e && static_cast<int>(type) <= 0x13));
}

TEST_CASE("a message with the wrong number of frames is malformed, with the count", "[envelope]") {
  CHECK(error_of({v3, "\x05"}).message == "expected 4 frames, got 2");
  CHECK(error_of({}).message == "expected 4 frames, got 0");
  auto five = encode({wire_version, message_type::task, "c", "b"});
  five.push_back("extra");
  CHECK(error_of(five).message == "expected 4 frames, got 5");
  CHECK(error_of(five) == wire_errc::malformed);
}

TEST_CASE("a message from another protocol version is refused with both versions", "[envelope]") {
  const auto old = error_of({std::string("\x00\x01", 2), "\x0b", "id", "job\n{}"});
  CHECK(old == wire_errc::version_mismatch);
  CHECK(old.message == "protocol version 1, this node speaks 3");
  // The version is checked first: a newer peer's new type is not the complaint.
  CHECK(error_of({std::string("\x01\x00", 2), "\x7f", "", ""}).message ==
        "protocol version 256, this node speaks 3");
}

TEST_CASE("a peer of another version is refused in its own version, as plain text", "[envelope]") {
  const auto frames = version_refusal(1);
  REQUIRE(frames.size() == 4);
  CHECK(frames[0] == std::string("\x00\x01", 2));
  CHECK(frames[1] == "\x03"); // REFUSE in every version
  CHECK(frames[2].empty());
  CHECK(frames[3] == "protocol version 1, this node speaks 3");
  CHECK(version_mismatch(4) == "protocol version 4, this node speaks 3");
}

TEST_CASE("a version 2 peer is refused with a REFUSE it decodes: the code and the sentence",
          "[envelope]") {
  const auto frames = version_refusal(2);
  REQUIRE(frames.size() == 4);
  CHECK(frames[0] == std::string("\x00\x02", 2));
  CHECK(frames[1] == "\x03");
  // Version 2's REFUSE body is this build's: {"error": {"domain", "code", "message"}}.
  auto refusal = decode_refuse(frames[3]);
  REQUIRE(refusal);
  CHECK(refusal->error.domain == "wire");
  CHECK(refusal->error.code == static_cast<int>(wire_errc::version_mismatch));
  CHECK(refusal->error.message == "protocol version 2, this node speaks 3");
}

TEST_CASE("an older coordinator's plain-text REFUSE is read as a version mismatch", "[envelope]") {
  const qs::error undecodable(wire_errc::malformed, "refuse: not CBOR");
  const auto said = older_refusal("protocol version 3, this node speaks 2", undecodable);
  CHECK(said == wire_errc::version_mismatch);
  CHECK(said.message == "the coordinator speaks another protocol version: \"protocol version 3, "
                        "this node speaks 2\"");
  // Anything that is not a short sentence stays the decoder's complaint.
  CHECK(older_refusal(std::string("\xa1\x00", 2), undecodable).message == "refuse: not CBOR");
  CHECK(older_refusal("", undecodable) == wire_errc::malformed);
  CHECK(older_refusal(std::string(201, 'x'), undecodable) == wire_errc::malformed);
}

TEST_CASE("a message with an unknown type is refused with the code in hex", "[envelope]") {
  CHECK(error_of({v3, "\x7f", "", ""}).message == "unknown message type 0x7f");
  CHECK(error_of({v3, "\x7f", "", ""}) == wire_errc::unknown_type);
  CHECK(error_of({v3, std::string(1, '\0'), "", ""}).message == "unknown message type 0x00");
}

TEST_CASE("version and type frames of the wrong size are malformed", "[envelope]") {
  CHECK(error_of({"\x01", "\x05", "", ""}).message == "the version frame must be 2 bytes, got 1");
  CHECK(error_of({v3, "", "", ""}).message == "the type frame must be 1 byte, got 0");
  CHECK(error_of({v3, "\x05\x05", "", ""}).message == "the type frame must be 1 byte, got 2");
  CHECK(error_of({v3, "", "", ""}) == wire_errc::malformed);
}
