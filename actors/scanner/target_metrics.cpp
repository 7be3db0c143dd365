#include "actors/scanner/target_metrics.hpp"

#include <ctime>

namespace qs::scanner {

namespace {

const char* const gauges[] = {"qscan_target_last_scan_timestamp_seconds", "qscan_target_scan_ok",
                              "qscan_target_quantum_risk", "qscan_target_post_quantum_key_exchange",
                              "qscan_target_certificate_expiry_timestamp_seconds"};

/// Seconds since the epoch of "2027-01-01T00:00:00Z"; -1 when it is not one.
double epoch_of(const std::string& iso) {
  std::tm t{};
  if (iso.empty() || !strptime(iso.c_str(), "%Y-%m-%dT%H:%M:%S", &t))
    return -1;
  return static_cast<double>(timegm(&t));
}

} // namespace

target_metrics::target_metrics(std::shared_ptr<runtime::metrics::registry> metrics, std::size_t cap)
    : metrics_(std::move(metrics)), cap_(cap) {
  auto& m = *metrics_;
  m.describe(gauges[0], "gauge", "When the target's latest scan ran (seconds since the epoch)");
  m.describe(gauges[1], "gauge", "1 when the target's latest scan reached it, 0 when it failed");
  m.describe(gauges[2], "gauge", "The target's quantum risk score from its latest scan (0..1)");
  m.describe(gauges[3], "gauge",
             "1 when a TLS or SSH target offers a post-quantum key exchange, else 0");
  m.describe(gauges[4], "gauge",
             "When the earliest leaf certificate the target presented expires (seconds since the "
             "epoch)");
  m.describe(
      "qscan_target_metrics_evicted_total", "counter",
      "Targets whose gauges were dropped for a more recently scanned one (--target-metrics)");
}

void target_metrics::record(const target_result& r, double now) {
  if (cap_ == 0)
    return;
  const std::string labels = "target=\"" + runtime::metrics::label_value(r.target) + "\"";
  if (auto it = where_.find(labels); it != where_.end()) {
    order_.erase(it->second);
  } else if (where_.size() >= cap_) {
    erase(order_.back());
    where_.erase(order_.back());
    order_.pop_back();
    metrics_->add("qscan_target_metrics_evicted_total");
  }
  order_.push_front(labels);
  where_[labels] = order_.begin();

  auto& m = *metrics_;
  const bool ok = r.error.empty();
  m.set(gauges[0], labels, now);
  m.set(gauges[1], labels, ok ? 1 : 0);
  if (!ok) // what it was last seen with stays
    return;
  m.set(gauges[2], labels, r.quantum_risk_score);
  if (r.kind != target_kind::file) {
    bool post_quantum = false;
    for (const auto& f : r.findings)
      post_quantum = post_quantum || f.rule == "QS-KEX-POST-QUANTUM";
    m.set(gauges[3], labels, post_quantum ? 1 : 0);
  }
  double earliest = -1;
  if (r.tls)
    for (const auto& served : r.tls->certificates)
      if (const double t = epoch_of(served.info.not_after);
          served.position == 0 && t >= 0 && (earliest < 0 || t < earliest))
        earliest = t;
  if (earliest >= 0)
    m.set(gauges[4], labels, earliest);
  else
    m.unset(gauges[4], labels);
}

void target_metrics::erase(const std::string& labels) {
  for (const char* g : gauges)
    metrics_->unset(g, labels);
}

} // namespace qs::scanner
