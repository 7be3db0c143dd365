// The estate as the asset list and the overview see it: one row per asset with
// its latest standing (asset_state.hpp keeps it as entries are written), the
// query of the list, and the overview's aggregates. Plain values.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "runtime/storage/records.hpp"

namespace qs::runtime::storage {

/// An asset's latest standing: its latest entry's summary, with the threat score
/// and the anomaly verdict of the latest entries that had them.
struct asset_row {
  std::string asset_id;
  std::int64_t last_entry = 0; ///< the id of its latest entry
  std::int64_t entries = 0;
  std::string last_seen; ///< when its latest entry was stored
  std::string scan_timestamp;
  double risk = 0; ///< protocol::combined_risk of its scores
  entry_summary summary;
};

/// What GET /v1/assets asks: a page of assets in an order, optionally filtered.
struct asset_query {
  enum class order_by { risk, asset_id, last_seen, findings, quantum_risk, threat_score };
  std::int64_t offset = 0;
  std::int64_t limit = 50;
  order_by sort = order_by::risk;
  bool descending = true;
  std::string search;     ///< a substring of the asset id, any case; "" for all
  std::string risk_level; ///< "CRITICAL" ... "MINIMAL"; "" for all
};

struct asset_list {
  std::vector<asset_row> assets;
  std::int64_t total = 0; ///< the assets matching the query
};

struct named_count {
  std::string name;
  std::int64_t count = 0;
};

/// The estate at a glance (GET /v1/overview).
struct estate_overview {
  std::int64_t assets = 0;
  std::vector<named_count> by_risk_level; ///< CRITICAL ... MINIMAL, each listed
  /// Quantum-vulnerable algorithms and how many assets use each, most used first.
  std::vector<named_count> vulnerable_algorithms;
  std::int64_t tls_endpoints = 0;               ///< scanned TLS endpoints
  std::int64_t tls_with_post_quantum = 0;       ///< of them, offering a post-quantum group
  std::vector<asset_row> certificates_expiring; ///< soonest first, within the horizon asked
  std::vector<asset_row> most_likely_exploited; ///< highest probability first
};

} // namespace qs::runtime::storage
