// The CBOR codecs of the storage calls a node without the database sends to a
// persistence node (runtime/storage/requests.hpp; docs/protocol.md, "Storage"), and
// of a persistence TASK's work:
//   - a storage request is `[call, arguments]`: the call's code (its index in
//     `storage_request`, append only), then a map of its arguments;
//   - a storage answer is `[kind, value]` likewise (`storage_answer`);
//   - a persistence TASK's payload is `[0, batch]` (a write batch to commit) or
//     `[1, request]` (a store call to answer); the RESULT of a call is its outcome,
//     `[0, answer]` or `[1, error]` (the store's error with its code).
// Decoders name the first bad field from `root`. Pure.
#pragma once

#include <string>
#include <string_view>
#include <variant>

#include "runtime/expected.hpp"
#include "runtime/storage/records.hpp"
#include "runtime/storage/requests.hpp"

namespace qs::actors::wire {

std::string encode_storage_request(const runtime::storage::storage_request& request);
qs::expected<runtime::storage::storage_request>
decode_storage_request(std::string_view bytes, std::string_view root = "storage_request");

std::string encode_storage_answer(const runtime::storage::storage_answer& answer);
qs::expected<runtime::storage::storage_answer>
decode_storage_answer(std::string_view bytes, std::string_view root = "storage_answer");

/// What a persistence node is asked to do.
using persistence_work =
    std::variant<runtime::storage::write_batch, runtime::storage::storage_request>;

std::string encode_persistence_task(const persistence_work& work);
/// The same as `encode_persistence_task(batch)`, without copying the batch.
std::string encode_persistence_write(const runtime::storage::write_batch& batch);
qs::expected<persistence_work> decode_persistence_task(std::string_view bytes,
                                                       std::string_view root = "task.payload");

/// A persistence task that carries an encoded storage request as it came (a
/// REQUEST_STORAGE body handed on without decoding it again).
std::string encode_persistence_call(std::string_view request_bytes);

/// A store call's outcome: the answer or the store's error. Decoding gives the
/// carried error back as it was (or a wire error when the bytes are not an outcome).
std::string encode_storage_outcome(const qs::expected<runtime::storage::storage_answer>& outcome);
qs::expected<runtime::storage::storage_answer>
decode_storage_outcome(std::string_view bytes, std::string_view root = "result.payload");
/// The answer of an outcome as it was encoded (to hand on as a REPLY's value without
/// decoding it), or the carried error.
qs::expected<std::string> storage_outcome_answer(std::string_view bytes,
                                                 std::string_view root = "result.payload");

} // namespace qs::actors::wire
