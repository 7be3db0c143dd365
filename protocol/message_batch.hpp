// BATCH (docs/protocol.md, "Batches"): several messages for one peer in one ZeroMQ
// message. A burst of TASKs for a worker, or of RESULTs and READYs for the coordinator,
// then costs the wire one message (four frames to encrypt and frame, one wake-up of
// each I/O and socket thread on the way) instead of one per message.
//
// The body is a CBOR array of at least two messages, each `[type, correlation id,
// body]`: the type as its one-byte code (an unsigned integer), the correlation id and
// the body as byte strings, exactly what the message's own frames would hold. Every
// message in a batch is of the version of the BATCH that carries it, in the order it
// was queued. HELLO, WELCOME and REFUSE never travel in a batch (a peer of any version
// must be able to read them alone), nor does a BATCH.
//
// `coalesce` is what a socket thread does with the messages it is about to send: each
// run of batchable messages for one peer becomes one BATCH (up to `batch_limits`), and
// each peer's messages keep their order. No timer: whatever waits when the queue is
// drained goes together, a message alone goes as itself.
//
// Pure functions and values; any thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/envelope.hpp"

namespace qs::protocol {

/// Whether a message of `type` may travel inside a BATCH.
bool batchable(message_type type);

/// The body of a BATCH that carries `messages` in order. @pre every type is batchable
std::string pack(const std::vector<envelope>& messages);

/// The messages of a BATCH body, each with the `version` of the BATCH, in order; or the
/// first problem with its path ("batch[2][0]: HELLO never travels in a batch").
qs::expected<std::vector<envelope>> unpack(std::string_view body, std::uint16_t version,
                                           std::string_view root = "batch");

struct batch_limits {
  std::size_t max_messages = 256;               ///< in one BATCH
  std::size_t max_bytes = std::size_t{1} << 20; ///< correlation ids and bodies in one BATCH
};

/// The multipart messages to send for `queued` (each as `encode` writes it, after the
/// peer's routing id when `routed`, as a ROUTER sends): runs of batchable messages of
/// this version for one peer packed into BATCHes, everything else as it was.
std::vector<std::vector<std::string>> coalesce(std::vector<std::vector<std::string>> queued,
                                               bool routed, batch_limits limits = {});

} // namespace qs::protocol
