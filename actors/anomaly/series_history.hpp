// An asset's series state rebuilt from storage: its stored scan results that
// were judged for anomalies (detect-anomalies and enhance, not predict alone)
// replayed oldest first through a fresh `asset_series` (so an asset that moved
// to another shard or node, or was evicted, answers as if it had never left),
// and the posture of its newest scan for the drift rules.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "actors/analytics/anomaly_rules.hpp"
#include "actors/anomaly/asset_series.hpp"
#include "runtime/storage/storage.hpp"

namespace qs::anomaly {

/// Scans replayed at most (the newest ones); an asset with more answers as if
/// its history began there.
inline constexpr std::size_t max_replayed_scans = 10000;

struct replayed_asset {
  asset_series series;
  std::optional<analytics::posture> posture; ///< of the newest stored scan
};

/// Called for each replayed scan, oldest first, with its scores.
using replay_visitor = std::function<void(const protocol::scan_result&, const scan_scores&)>;

/// Replays the stored scans of `asset_id`; entries whose scan result does not
/// decode are skipped. A storage failure is returned as such.
runtime::result<replayed_asset> replay_history(runtime::storage::storage& db,
                                               const std::string& asset_id,
                                               const replay_visitor& visit = {},
                                               std::size_t max_scans = max_replayed_scans);

} // namespace qs::anomaly
