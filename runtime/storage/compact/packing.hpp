// Packing: how storage keeps text small. `pack` compresses a text (zstd) against a preset
// dictionary of the service's own JSON (keys, severities, algorithm names,
// threat and anomaly types, mitigation sentences: json_dictionary.hpp), so a
// sentence a thousand answers repeat costs each of them a back-reference of a few
// bytes; `unpack` gives back the exact bytes. Lossless: what is stored reads
// back byte for byte, whatever the JSON's shape or a later build's encoders.
//
// Format: one byte, then the payload:
//   0  the text as is (for texts deflate does not shrink);
//   1  raw deflate (RFC 1951) with dictionary 1 as its preset window (read only:
//      written by the first schema 7 builds);
//   2  one zstd frame (RFC 8878) stating its size, dictionary 1 as raw content.
// A format, and its dictionary, never change once shipped: a better dictionary
// is a new format byte, and every earlier one stays readable.
//
// Values only: any thread (a thread's own contexts, the prepared dictionary shared).
#pragma once

#include <string>
#include <string_view>

#include "runtime/expected.hpp"

namespace qs::runtime::storage::compact {

/// `text` packed: at most one byte longer than `text`.
std::string pack(std::string_view text);

/// The text `packed` holds; errc::corrupt when it is not a packed text.
expected<std::string> unpack(std::string_view packed);

} // namespace qs::runtime::storage::compact
