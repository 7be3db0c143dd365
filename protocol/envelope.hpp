// The cluster wire format (ARCHITECTURE.md §4): every message between nodes is four
// ZeroMQ frames
//
//   [version: 2 bytes, big-endian][type: 1 byte][correlation id][body]
//
// A ROUTER sees the peer's routing id in front of these; strip it before `decode`.
// `decode` never throws: a malformed message is an error sentence the caller logs
// and drops ("expected 4 frames, got 2"). The version is checked before the type,
// so a newer peer is told about the version rather than about a type it may add.
//
// The HELLO body is JSON (Boost.JSON); unknown fields are ignored so a newer node
// may add some without breaking an older coordinator.
//
// Pure functions and values: no ZeroMQ, no shared state; any thread may call them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace qs::protocol {

constexpr std::uint16_t wire_version = 1;

/// One-byte codes on the wire. Never renumber; only append.
enum class message_type : std::uint8_t {
  hello = 0x01,     ///< node -> coordinator: who I am (body: `hello` JSON)
  welcome = 0x02,   ///< coordinator -> node: admitted
  refuse = 0x03,    ///< coordinator -> node: not admitted (body: reason)
  ready = 0x04,     ///< node -> coordinator: credits, how many more tasks it takes
  heartbeat = 0x05, ///< either way, every 500 ms to 1 s
  task = 0x06,      ///< coordinator -> node
  result = 0x07,    ///< node -> coordinator: a task's outcome
  failed = 0x08,    ///< node -> coordinator: a task could not be done
  bye = 0x09,       ///< either way: draining, do not send more
  shard_map = 0x0a, ///< coordinator -> node: the owners of a keyed role changed
  request = 0x0b,   ///< bridge -> coordinator: a request to answer (body: kind, newline, JSON)
  reply = 0x0c,     ///< coordinator -> bridge: a request's answer (correlation id echoed)
  role_down = 0x0d, ///< node -> coordinator: a role ran out of restarts here (body: role)
};

/// "hello", "shard_map", ...; "unknown" for a code outside the enum.
std::string_view to_string(message_type type);

/// The type for a wire code, or nothing when the code is unknown.
std::optional<message_type> message_type_from_code(std::uint8_t code);

struct envelope {
  std::uint16_t version = wire_version;
  message_type type = message_type::heartbeat;
  std::string correlation_id; ///< opaque; replies echo the request's
  std::string body;           ///< opaque bytes; JSON for now
};

/// Four frames, in wire order.
std::vector<std::string> encode(const envelope& message);

/// The envelope, or a sentence saying why the frames are not one this node speaks.
std::variant<envelope, std::string> decode(const std::vector<std::string>& frames);

/// The body of a HELLO.
struct hello {
  std::string node_id;
  std::vector<std::string> roles; ///< e.g. "worker", "coordinator"
  int capacity = 0;               ///< tasks it can run at once, >= 0
  std::uint16_t protocol_version = wire_version;
  std::string public_key; ///< the node's CURVE public key, Z85 (40 characters)
  std::string address;    ///< optional: where operators reach the node (HTTP or metrics)
};

/// A compact JSON object.
std::string encode_hello(const hello& body);

/// The hello, or a sentence naming the offending field
/// ("hello field \"capacity\" must be an integer, got string").
std::variant<hello, std::string> decode_hello(std::string_view json);

} // namespace qs::protocol
