// An entry (records.hpp) as storage keeps it: one packed record (packing.hpp) of
// its texts, beside the columns a query needs (the asset's id, flags). The
// entries of one batch share their request id, operation and time of receipt:
// the batch's first entry (its head) carries them, and each other entry carries
// only those that differ from its head's.
//
// Values only: any thread.
#pragma once

#include <string>
#include <string_view>

#include "runtime/expected.hpp"
#include "runtime/storage/records.hpp"

namespace qs::runtime::storage::compact {

/// The `flags` column: what a query filters on without unpacking.
enum entry_flag : int {
  has_scan_result = 1, ///< scan_result is not ""
  has_anomaly = 2,     ///< anomaly is not ""
};
int flags_of(const entry& e);

/// The packed record of `e`; the shared fields equal to `head`'s are left out
/// (null `head`: `e` is a head, and carries them all). `id` and `asset_id` are
/// columns of their own, not in the record.
std::string encode_entry(const entry& e, const entry* head);

/// Fills `out`'s texts from `packed`, the shared ones it left out from `head`
/// (which must be the entry it was encoded against). errc::corrupt when
/// `packed` is not an entry record, or leaves a field out without a head.
expected<void> decode_entry(std::string_view packed, const entry* head, entry& out);

} // namespace qs::runtime::storage::compact
