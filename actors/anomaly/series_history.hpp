// An asset's series state rebuilt from storage: its stored scan results that
// were judged for anomalies (detect-anomalies and enhance, not predict alone)
// replayed oldest first through a fresh `asset_series` (so an asset that moved
// to another shard or node, or was evicted, answers as if it had never left),
// and the posture of its newest scan for the drift rules.
//
// Threads: `replay_history` calls storage, which blocks: call it on a storage
// executor thread (runtime/storage/executor.hpp), never on a scheduler thread.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "actors/analytics/anomaly_rules.hpp"
#include "actors/anomaly/asset_series.hpp"
#include "runtime/storage/stores.hpp"

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

/// Replays stored scan results (JSON, oldest first); ones that do not decode are skipped.
replayed_asset replay_scans(const std::vector<std::string>& oldest_first,
                            const replay_visitor& visit = {});

/// Reads the judged scans of `asset_id` and replays them. A storage failure is
/// returned as such.
expected<replayed_asset> replay_history(runtime::storage::history_store& history,
                                        const std::string& asset_id,
                                        const replay_visitor& visit = {},
                                        std::size_t max_scans = max_replayed_scans);

} // namespace qs::anomaly
