// One node's metrics in Prometheus text format: counters and gauges with
// labels, and latency histograms. Each node makes one registry
// (nodes/serve_command.cpp, nodes/node_command.cpp) and hands it, as a
// shared_ptr, to every part that counts (pools, HTTP API, scanners, spool);
// GET /metrics renders it. Two nodes in one process have two registries.
// Shared mutable state outside actors, by design: any thread may update it;
// every member is guarded by `mutex_`. Names follow Prometheus conventions
// (qscan_*_total, *_seconds). @threadsafe
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace qs::runtime::metrics {

/// Fixed latency buckets in seconds, from 0.5 ms to 10 s.
inline constexpr std::array<double, 14> latency_buckets = {
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

class registry {
public:
  /// Adds `by` to counter `name` with a rendered label set such as
  /// `route="predict",status="200"` ("" for none).
  void add(const std::string& name, const std::string& labels = {}, std::uint64_t by = 1);

  /// Sets a gauge.
  void set(const std::string& name, const std::string& labels, double value);
  /// Removes a gauge's series (it is no longer rendered).
  void unset(const std::string& name, const std::string& labels);

  /// Records one observation (seconds) into histogram `name`.
  void observe(const std::string& name, const std::string& labels, double seconds);

  /// Describes a metric (HELP and TYPE lines); call once per name.
  void describe(const std::string& name, const std::string& type, const std::string& help);

  std::uint64_t counter(const std::string& name, const std::string& labels = {}) const;

  /// Everything, in Prometheus text exposition format 0.0.4.
  std::string render() const;

private:
  struct histogram {
    std::array<std::uint64_t, latency_buckets.size()> buckets{};
    std::uint64_t count = 0;
    double sum = 0;
  };
  struct help {
    std::string type, text;
  };

  mutable std::mutex mutex_;
  std::map<std::string, help> help_;                                     // GUARDED_BY(mutex_)
  std::map<std::string, std::map<std::string, std::uint64_t>> counters_; // GUARDED_BY(mutex_)
  std::map<std::string, std::map<std::string, double>> gauges_;          // GUARDED_BY(mutex_)
  std::map<std::string, std::map<std::string, histogram>> histograms_;   // GUARDED_BY(mutex_)
};

/// Escapes a label value ("\" and '"' and newlines).
std::string label_value(const std::string& raw);

} // namespace qs::runtime::metrics
