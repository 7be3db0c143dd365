// The bodies of the cluster link's own messages (docs/protocol.md): HELLO, WELCOME,
// REFUSE, READY, TASK, RESULT, FAILED, SHARD_MAP, ROLE_DOWN and REPLY, each a CBOR
// map with one codec (`encode` and its `decode_*`). The work inside a TASK, a RESULT
// or a REPLY (a job, a batch, predictions...) is one CBOR item in place, encoded and
// read by the codecs of actors/cluster/; the link only hands it on.
//
// Decoders name the first bad field ("hello.capacity: expected an integer from 0 to
// 2147483647, got -1") with wire_errc::bad_field (or malformed), and ignore fields
// they do not know, so a newer peer may add some (cbor_codec.hpp).
//
// Pure functions and values; any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/envelope.hpp"
#include "protocol/error_codec.hpp"
#include "protocol/roles.hpp"

namespace qs::protocol {

/// node -> coordinator: who I am.
struct hello {
  std::string node_id;
  std::vector<role> roles;
  int capacity = 0; ///< tasks it can run at once, >= 0
  std::uint16_t protocol_version = wire_version;
  std::string public_key; ///< the node's CURVE public key, Z85 (40 characters)
  std::string address;    ///< optional: where operators reach the node (HTTP or metrics)
  /// A persistence node's database (optional; "" for other nodes): its own id, its
  /// kind ("sqlite" or "postgresql") and the cluster it belongs to ("" when none has
  /// claimed it yet). The coordinator admits one database per cluster.
  std::string database_id;
  std::string database_kind;
  std::string database_cluster;
};

/// coordinator -> node: admitted.
struct welcome {
  std::string node_id;        ///< the id the node was admitted with
  std::string coordinator_id; ///< the coordinator's own node id
  std::uint32_t heartbeat_interval_ms = 0;
  std::string cluster_id; ///< optional: the cluster's id (runtime/cluster/cluster_id.hpp)
};

/// coordinator -> node: not admitted; `error` says why with a code (cluster::errc,
/// wire_errc). Final: the node stops trying.
struct refuse {
  wire_error error;
};

/// node -> coordinator: `credits` more tasks of `role`.
struct ready {
  protocol::role role = role::predictor;
  std::int32_t credits = 0; ///< 0 to 1,000,000
};

/// coordinator -> node: work.
struct task {
  protocol::role role = role::predictor;
  std::uint32_t attempt = 1;     ///< 1 for the first try
  std::uint64_t deadline_ms = 0; ///< left until the coordinator gives up on it
  std::string payload;           ///< one CBOR item: the role's task codec
};

/// node -> coordinator: a task's outcome.
struct task_result {
  std::string payload; ///< one CBOR item: the role's answer codec
};

/// node -> coordinator: a task not done, and why.
struct task_failure {
  wire_error error;
};

/// coordinator -> node: the nodes that own the keys of a keyed role, as of `generation`.
struct shard_map {
  protocol::role role = role::anomaly;
  std::uint64_t generation = 0;
  std::vector<std::string> nodes;
};

/// node -> coordinator: `role` ran out of restarts on this node.
struct role_down {
  protocol::role role = role::predictor;
};

/// coordinator -> node: the answer to a request, by correlation id: a value (one CBOR
/// item, read by the codec of what was asked) or an error. Never both.
struct reply {
  bool ok = true;
  std::string value; ///< when ok
  wire_error error;  ///< when not
};

std::string encode(const hello& m);
std::string encode(const welcome& m);
std::string encode(const refuse& m);
std::string encode(const ready& m);
std::string encode(const task& m);
std::string encode(const task_result& m);
std::string encode(const task_failure& m);
std::string encode(const shard_map& m);
std::string encode(const role_down& m);
std::string encode(const reply& m);

qs::expected<hello> decode_hello(std::string_view body);
qs::expected<welcome> decode_welcome(std::string_view body);
qs::expected<refuse> decode_refuse(std::string_view body);
qs::expected<ready> decode_ready(std::string_view body);
qs::expected<task> decode_task(std::string_view body);
qs::expected<task_result> decode_task_result(std::string_view body);
qs::expected<task_failure> decode_task_failure(std::string_view body);
qs::expected<shard_map> decode_shard_map(std::string_view body);
qs::expected<role_down> decode_role_down(std::string_view body);
qs::expected<reply> decode_reply(std::string_view body);

/// The one message every version understands: a REFUSE written in the peer's own
/// version. Type 0x03 is REFUSE in every version, and a REFUSE in another version than a
/// node's own is final whatever its body. Version 2 reads its body as a REFUSE of this
/// build (`{"error": error}`, here wire_errc::version_mismatch); version 1, and any other,
/// as the sentence in plain text ("protocol version 1, this node speaks 3").
std::vector<std::string> version_refusal(std::uint16_t peer_version);

/// Why a coordinator refused this node when the REFUSE's body does not decode
/// (`undecodable`): a coordinator of an older version tells a newer node in plain text,
/// written in the node's version (an older `version_refusal`). A short printable body is
/// that sentence, given back as wire_errc::version_mismatch; anything else is
/// `undecodable`.
qs::error older_refusal(std::string_view body, const qs::error& undecodable);

} // namespace qs::protocol
