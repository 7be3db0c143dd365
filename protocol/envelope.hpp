// The cluster wire format (ARCHITECTURE.md §4, docs/protocol.md): every message between
// nodes is four ZeroMQ frames
//
//   [version: 2 bytes, big-endian][type: 1 byte][correlation id][body: CBOR]
//
// A ROUTER sees the peer's routing id in front of these; strip it before `decode`.
// The type frame says what the message is, and so which codec reads its body
// (protocol/link_messages.hpp for the link's own messages, actors/cluster/ for the
// work and the requests); the envelope leaves the body as bytes.
//
// `decode` never throws: frames that are not a message of this version are an error
// with a code (wire_errc::malformed, version_mismatch, unknown_type) and a sentence.
// The version is checked before the type, so a peer of another version hears about
// the version rather than about a type it may have added.
//
// Pure functions and values: no ZeroMQ, no shared state; any thread may call them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/wire_errc.hpp"

namespace qs::protocol {

/// The version this build speaks. Version 1 carried JSON and text bodies; version 2 had
/// no BATCH, so a version 2 node would drop the tasks and results that travel in one.
constexpr std::uint16_t wire_version = 3;

/// The deepest a body may nest: the deepest request the bridge accepts (--max-depth up
/// to 1024), plus the levels a job and a task wrap around a scan result's document.
inline constexpr std::size_t max_wire_depth = 1040;

/// One-byte codes on the wire. Never renumber or reuse; only append.
enum class message_type : std::uint8_t {
  hello = 0x01,     ///< node -> coordinator: who I am; coordinator -> node, empty: say HELLO
  welcome = 0x02,   ///< coordinator -> node: admitted
  refuse = 0x03,    ///< coordinator -> node: not admitted, and why (final)
  ready = 0x04,     ///< node -> coordinator: credits, how many more tasks of a role it takes
  heartbeat = 0x05, ///< either way, every 500 ms to 1 s; empty
  task = 0x06,      ///< coordinator -> node: work of a role
  result = 0x07,    ///< node -> coordinator: a task's outcome
  failed = 0x08,    ///< node -> coordinator: a task could not be done, and why
  bye = 0x09,       ///< either way: draining, do not send more; empty
  shard_map = 0x0a, ///< coordinator -> node: the owners of a keyed role changed
  // 0x0b: version 1's text REQUEST ("kind\npayload"); retired, never reused.
  reply = 0x0c,           ///< coordinator -> node: the answer to a request (correlation id echoed)
  role_down = 0x0d,       ///< node -> coordinator: a role ran out of restarts here
  request_job = 0x0e,     ///< bridge -> coordinator: analyse a job
  request_store = 0x0f,   ///< bridge -> coordinator: store a spooled write batch
  request_cluster = 0x10, ///< bridge -> coordinator: the cluster view
  request_scan = 0x11,    ///< bridge -> coordinator: a POST /v1/scans
  request_model = 0x12,   ///< predictor -> coordinator: a newer exploit model, if any
  request_storage = 0x13, ///< node -> coordinator: a store call, answered by a persistence node
  batch = 0x14,           ///< either way: several messages for one peer (message_batch.hpp)
};

/// "hello", "request_job", ...; "unknown" for a code outside the enum.
std::string_view to_string(message_type type);

/// The type for a wire code, or nothing when the code is unknown (or retired).
std::optional<message_type> message_type_from_code(std::uint8_t code);

/// A REQUEST type (answered by a REPLY with the same correlation id).
bool is_request(message_type type);

struct envelope {
  std::uint16_t version = wire_version;
  message_type type = message_type::heartbeat;
  std::string correlation_id; ///< opaque; replies echo the request's, results the task's
  std::string body;           ///< CBOR (or empty), read by the type's codec
};

/// Four frames, in wire order.
std::vector<std::string> encode(const envelope& message);
/// The same, moving the correlation id and the body into their frames.
std::vector<std::string> encode(envelope&& message);

/// The envelope, or why the frames are not a message this node speaks.
qs::expected<envelope> decode(const std::vector<std::string>& frames);
/// The same, moving the correlation id and the body out of `frames` when they decode;
/// `frames` is untouched when they do not.
qs::expected<envelope> decode_moving(std::vector<std::string>& frames);

/// The version frame of `frames` when it is one (2 bytes, first frame), whatever its value.
std::optional<std::uint16_t> version_of(const std::vector<std::string>& frames);

/// "protocol version 1, this node speaks 3".
std::string version_mismatch(std::uint16_t peer_version);

} // namespace qs::protocol
