// The `asset_state` table over the SQL layer: the estate store's reads, and the
// row update the batch writer (and migration 8) makes for each entry it stores.
#pragma once

#include "runtime/storage/sql_stores.hpp"

namespace qs::runtime::storage {

/// Folds `e` (stored with id `e.id`) into asset `asset`'s row, in `c`'s open write
/// transaction. Uses `e.summary`, or reads it from `e`'s JSON when unset.
expected<void> record_asset_state(sql::connection& c, std::int64_t asset, const entry& e);

/// Migration 8's data step: every stored entry folded into `asset_state`, oldest
/// first (each entry's JSON read once).
expected<void> backfill_asset_state(sql::connection& c);

std::shared_ptr<estate_store> sql_estate_store(std::shared_ptr<connections> db);

} // namespace qs::runtime::storage
