// An idempotent answer (records.hpp) as storage keeps it. Its body repeats what
// its batch's entries hold (each prediction, anomaly or scan result, as encoded
// once for both), so the record keeps the body as a template: the text between
// those parts, and for each part a reference to the entry and field it copies.
// The body is rebuilt byte for byte from the batch's entries; a body that
// repeats none of them (a train answer, another encoder) is kept whole. The
// record holds the route, the fingerprint and the template, packed
// (packing.hpp); key and status are columns.
//
// Values only: any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "runtime/expected.hpp"
#include "runtime/storage/records.hpp"

namespace qs::runtime::storage::compact {

/// The packed record of `answer`, whose batch stored `entries` (in order).
std::string encode_answer(const idempotent_answer& answer, const std::vector<entry>& entries);

/// Fills `out`'s route, fingerprint and body from `packed` and the entries of
/// its batch, in the order they were stored. errc::corrupt when `packed` is not
/// an answer record or refers to an entry `entries` does not have.
expected<void> decode_answer(std::string_view packed, const std::vector<entry>& entries,
                             idempotent_answer& out);

} // namespace qs::runtime::storage::compact
