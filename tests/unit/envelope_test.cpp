#include <catch2/catch.hpp>

#include "protocol/envelope.hpp"

using namespace qs::protocol;

namespace {

constexpr message_type every_type[] = {
    message_type::hello,     message_type::welcome,   message_type::refuse,  message_type::ready,
    message_type::heartbeat, message_type::task,      message_type::result,  message_type::failed,
    message_type::bye,       message_type::shard_map, message_type::request, message_type::reply,
    message_type::role_down,
};

std::string error_of(const std::vector<std::string>& frames) {
  auto decoded = decode(frames);
  REQUIRE(std::holds_alternative<std::string>(decoded));
  return std::get<std::string>(decoded);
}

std::string hello_error(std::string_view json) {
  auto decoded = decode_hello(json);
  REQUIRE(std::holds_alternative<std::string>(decoded));
  return std::get<std::string>(decoded);
}

const std::string a_key = "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7";

} // namespace

TEST_CASE("every message type survives a round trip through the wire format", "[envelope]") {
  for (message_type type : every_type) {
    INFO(to_string(type));
    envelope sent{wire_version, type, "corr-42", std::string("body\0with nul", 13)};
    auto decoded = decode(encode(sent));
    REQUIRE(std::holds_alternative<envelope>(decoded));
    const auto& got = std::get<envelope>(decoded);
    CHECK(got.version == wire_version);
    CHECK(got.type == type);
    CHECK(got.correlation_id == "corr-42");
    CHECK(got.body == sent.body);
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
  CHECK(encode({wire_version, message_type::hello, "c", "b"})[0] == std::string("\x00\x01", 2));
}

TEST_CASE("message type codes are stable and named", "[envelope]") {
  CHECK(static_cast<int>(message_type::hello) == 0x01);
  CHECK(static_cast<int>(message_type::ready) == 0x04);
  CHECK(static_cast<int>(message_type::shard_map) == 0x0a);
  CHECK(to_string(message_type::shard_map) == "shard_map");
  CHECK(static_cast<int>(message_type::role_down) == 0x0d);
  CHECK(to_string(message_type::request) == "request");
  CHECK(to_string(message_type::heartbeat) == "heartbeat");
  CHECK(to_string(static_cast<message_type>(0x7f)) == "unknown");
  for (message_type type : every_type)
    CHECK(message_type_from_code(static_cast<std::uint8_t>(type)) == type);
  CHECK_FALSE(message_type_from_code(0x00));
  CHECK_FALSE(message_type_from_code(0x7f));
}

TEST_CASE("a message with the wrong number of frames is refused with the count", "[envelope]") {
  CHECK(error_of({std::string("\x00\x01", 2), "\x05"}) == "expected 4 frames, got 2");
  CHECK(error_of({}) == "expected 4 frames, got 0");
  auto five = encode({wire_version, message_type::task, "c", "b"});
  five.push_back("extra");
  CHECK(error_of(five) == "expected 4 frames, got 5");
}

TEST_CASE("a message from another protocol version is refused with both versions", "[envelope]") {
  CHECK(error_of({std::string("\x00\x02", 2), "\x05", "", ""}) ==
        "protocol version 2, this node speaks 1");
  // The version is checked first: a newer peer's new type is not the complaint.
  CHECK(error_of({std::string("\x01\x00", 2), "\x7f", "", ""}) ==
        "protocol version 256, this node speaks 1");
}

TEST_CASE("a message with an unknown type is refused with the code in hex", "[envelope]") {
  CHECK(error_of({std::string("\x00\x01", 2), "\x7f", "", ""}) == "unknown message type 0x7f");
  CHECK(error_of({std::string("\x00\x01", 2), std::string(1, '\0'), "", ""}) ==
        "unknown message type 0x00");
}

TEST_CASE("version and type frames of the wrong size are refused", "[envelope]") {
  CHECK(error_of({"\x01", "\x05", "", ""}) == "version frame must be 2 bytes, got 1");
  CHECK(error_of({std::string("\x00\x01", 2), "", "", ""}) == "type frame must be 1 byte, got 0");
  CHECK(error_of({std::string("\x00\x01", 2), "\x05\x05", "", ""}) ==
        "type frame must be 1 byte, got 2");
}

TEST_CASE("a hello survives a round trip through JSON", "[envelope][hello]") {
  hello sent{"node-0123456789ab", {"worker", "storage"}, 8, wire_version, a_key, ""};
  auto decoded = decode_hello(encode_hello(sent));
  REQUIRE(std::holds_alternative<hello>(decoded));
  const auto& got = std::get<hello>(decoded);
  CHECK(got.node_id == sent.node_id);
  CHECK(got.roles == sent.roles);
  CHECK(got.capacity == 8);
  CHECK(got.protocol_version == wire_version);
  CHECK(got.public_key == a_key);
}

TEST_CASE("a hello with extra fields from a newer node is accepted", "[envelope][hello]") {
  auto decoded = decode_hello(R"({"node_id":"n","roles":[],"capacity":0,"protocol_version":1,)"
                              R"("public_key":"k","gpu":true})");
  REQUIRE(std::holds_alternative<hello>(decoded));
  CHECK(std::get<hello>(decoded).roles.empty());
}

TEST_CASE("a hello that is not a JSON object is refused", "[envelope][hello]") {
  CHECK(hello_error("{\"node_id\":").rfind("hello body: malformed JSON at byte", 0) == 0);
  CHECK(hello_error("[1,2]") == "hello body must be a JSON object, got array");
}

TEST_CASE("a hello with a missing or mistyped field names the field", "[envelope][hello]") {
  const std::string node = R"("node_id":"n")", roles = R"("roles":["worker"])",
                    capacity = R"("capacity":4)", version = R"("protocol_version":1)",
                    key = R"("public_key":"k")";
  const auto object = [](std::initializer_list<std::string> fields) {
    std::string out = "{";
    for (const auto& f : fields)
      out += (out.size() > 1 ? "," : "") + f;
    return out + "}";
  };
  const std::pair<std::string, std::string> cases[] = {
      {object({roles, capacity, version, key}), "hello field \"node_id\" is missing"},
      {object({node, capacity, version, key}), "hello field \"roles\" is missing"},
      {object({node, roles, version, key}), "hello field \"capacity\" is missing"},
      {object({node, roles, capacity, key}), "hello field \"protocol_version\" is missing"},
      {object({node, roles, capacity, version}), "hello field \"public_key\" is missing"},
      {object({R"("node_id":7)", roles, capacity, version, key}),
       "hello field \"node_id\" must be a string, got integer"},
      {object({R"("node_id":"")", roles, capacity, version, key}),
       "hello field \"node_id\" must not be empty"},
      {object({node, R"("roles":"worker")", capacity, version, key}),
       "hello field \"roles\" must be an array of strings, got string"},
      {object({node, R"("roles":["worker",1])", capacity, version, key}),
       "hello field \"roles\" must hold only strings, got integer"},
      {object({node, roles, R"("capacity":"4")", version, key}),
       "hello field \"capacity\" must be an integer, got string"},
      {object({node, roles, R"("capacity":1.5)", version, key}),
       "hello field \"capacity\" must be an integer, got number"},
      {object({node, roles, R"("capacity":-1)", version, key}),
       "hello field \"capacity\" must be between 0 and 2147483647, got -1"},
      {object({node, roles, R"("capacity":18446744073709551615)", version, key}),
       "hello field \"capacity\" is out of range"},
      {object({node, roles, capacity, R"("protocol_version":70000)", key}),
       "hello field \"protocol_version\" must be between 0 and 65535, got 70000"},
      {object({node, roles, capacity, version, R"("public_key":null)"}),
       "hello field \"public_key\" must be a string, got null"},
  };
  for (const auto& [json, error] : cases) {
    INFO(json);
    CHECK(hello_error(json) == error);
  }
}
