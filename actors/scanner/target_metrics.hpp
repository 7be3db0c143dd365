// Prometheus gauges per scanned target, from each target's latest scan: when it
// was scanned and whether that worked, its quantum risk, whether it offers a
// post-quantum key exchange, and when its earliest leaf certificate expires.
// Cardinality is bounded: at most `cap` targets carry gauges (`--target-metrics`),
// the least recently scanned one giving up its gauges to a new one
// (qscan_target_metrics_evicted_total counts them). Used by the scan jobs actor
// only (not thread-safe itself; the registry is).
#pragma once

#include <cstddef>
#include <list>
#include <memory>
#include <string>
#include <unordered_map>

#include "actors/scanner/report.hpp"
#include "runtime/metrics/registry.hpp"

namespace qs::scanner {

class target_metrics {
public:
  /// `cap` 0: no gauges per target.
  target_metrics(std::shared_ptr<runtime::metrics::registry> metrics, std::size_t cap);

  /// Sets `r`'s target's gauges from this scan (`now`: seconds since the epoch).
  void record(const target_result& r, double now);

private:
  void erase(const std::string& labels);

  std::shared_ptr<runtime::metrics::registry> metrics_;
  std::size_t cap_;
  std::list<std::string> order_; ///< label sets, most recently scanned first
  std::unordered_map<std::string, std::list<std::string>::iterator> where_;
};

} // namespace qs::scanner
