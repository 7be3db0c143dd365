// A bridge's spool entry written by a build of protocol version 1: a write batch in
// that version's JSON (`{"request_id", "entries", "examples", "answer"}`). The spool
// outlives an upgrade, so its replayer still reads these once; every entry written
// since is CBOR (wire_codec.hpp). Pure.
#pragma once

#include <string_view>

#include "runtime/expected.hpp"
#include "runtime/storage/records.hpp"

namespace qs::actors::wire {

/// True when `entry` looks like version 1's JSON (a CBOR batch starts with a map head).
bool is_v1_batch(std::string_view entry);

/// The batch, or why it is not one (wire_errc::malformed or bad_field).
qs::expected<runtime::storage::write_batch> decode_v1_batch(std::string_view json);

} // namespace qs::actors::wire
