// The `asset_state` table over the SQL layer: the estate store's reads, and the
// row update the batch writer (and migration 8) makes for each entry it stores.
#pragma once

#include <map>
#include <optional>

#include "runtime/storage/sql_stores.hpp"

namespace qs::runtime::storage {

/// The `asset_state` rows of one write transaction: each entry stored is folded
/// into its asset's row in memory (the row read once), and `flush` writes each
/// asset's row once before the commit, however many of its entries the
/// transaction holds (a group commit of many requests about the same assets).
class asset_state_writer {
public:
  /// Folds `e` (stored with id `e.id`) into asset `asset`'s row. Uses `e.summary`,
  /// or reads it from `e`'s JSON when unset.
  expected<void> add(sql::connection& c, std::int64_t asset, const entry& e);
  /// Writes the rows changed since the last flush, in `c`'s open write transaction.
  expected<void> flush(sql::connection& c);

private:
  struct pending {
    std::optional<asset_row> stored; ///< as the table holds it
    asset_row row;                   ///< with this transaction's entries
  };
  std::map<std::int64_t, pending> rows_;
};

/// Migration 8's data step: every stored entry folded into `asset_state`, oldest
/// first (each entry's JSON read once).
expected<void> backfill_asset_state(sql::connection& c);

std::shared_ptr<estate_store> sql_estate_store(std::shared_ptr<connections> db);

} // namespace qs::runtime::storage
