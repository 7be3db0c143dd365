// Each asset's latest standing, kept as its entries are written (the
// `asset_state` table, migration 8), so that the asset list sorts and pages an
// estate of any size in the database and the overview counts without reading
// entries.
//
// - `summarize`: an entry's summary from its scan result (parsed) and its answers'
//   values, where the entry is made (actors/bridge/answer_builder.cpp).
// - `summary_of`: the same from an entry's stored JSON (entries written before
//   summaries were carried, and migration 8 for the entries stored before it).
// - `fold`: the asset's row after `e`: its latest entry's facts, the threat score
//   and anomaly verdict of the latest entries that had one, and the risk they
//   combine to (protocol/risk_rules.hpp).
//
// Pure; any thread.
#pragma once

#include <optional>
#include <vector>

#include <boost/json/object.hpp>

#include "protocol/answers.hpp"
#include "runtime/storage/estate.hpp"

namespace qs::runtime::storage {

/// `prediction` and `is_anomaly` when that answer was given.
entry_summary summarize(const boost::json::object& scan_result,
                        const protocol::prediction* prediction, std::optional<bool> is_anomaly);

/// From `e`'s JSON texts; texts that are not JSON count as absent.
entry_summary summary_of(const entry& e);

/// `e` (stored with id `e.id`) folded into `before` (nullopt: its first entry).
asset_row fold(const std::optional<asset_row>& before, const entry& e,
               const entry_summary& summary);

} // namespace qs::runtime::storage
