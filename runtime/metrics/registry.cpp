#include "runtime/metrics/registry.hpp"

#include <cstdio>

namespace qs::runtime::metrics {

namespace {

std::string series(const std::string& name, const std::string& labels) {
  return labels.empty() ? name : name + "{" + labels + "}";
}

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

} // namespace

void registry::add(const std::string& name, const std::string& labels, std::uint64_t by) {
  std::lock_guard<std::mutex> guard(mutex_);
  counters_[name][labels] += by;
}

void registry::set(const std::string& name, const std::string& labels, double value) {
  std::lock_guard<std::mutex> guard(mutex_);
  gauges_[name][labels] = value;
}

void registry::unset(const std::string& name, const std::string& labels) {
  std::lock_guard<std::mutex> guard(mutex_);
  if (auto it = gauges_.find(name); it != gauges_.end())
    it->second.erase(labels);
}

void registry::observe(const std::string& name, const std::string& labels, double seconds) {
  std::lock_guard<std::mutex> guard(mutex_);
  auto& h = histograms_[name][labels];
  for (std::size_t i = 0; i < latency_buckets.size(); ++i)
    if (seconds <= latency_buckets[i])
      ++h.buckets[i];
  ++h.count;
  h.sum += seconds;
}

void registry::describe(const std::string& name, const std::string& type, const std::string& text) {
  std::lock_guard<std::mutex> guard(mutex_);
  help_[name] = {type, text};
}

std::uint64_t registry::counter(const std::string& name, const std::string& labels) const {
  std::lock_guard<std::mutex> guard(mutex_);
  auto it = counters_.find(name);
  if (it == counters_.end())
    return 0;
  auto jt = it->second.find(labels);
  return jt == it->second.end() ? 0 : jt->second;
}

std::string registry::render() const {
  std::lock_guard<std::mutex> guard(mutex_);
  std::string out;
  auto header = [&](const std::string& name, const char* fallback_type) {
    auto it = help_.find(name);
    if (it != help_.end())
      out += "# HELP " + name + " " + it->second.text + "\n# TYPE " + name + " " + it->second.type +
             "\n";
    else
      out += "# TYPE " + name + " " + fallback_type + "\n";
  };
  for (const auto& [name, by_labels] : counters_) {
    header(name, "counter");
    for (const auto& [labels, value] : by_labels)
      out += series(name, labels) + " " + std::to_string(value) + "\n";
  }
  for (const auto& [name, by_labels] : gauges_) {
    header(name, "gauge");
    for (const auto& [labels, value] : by_labels)
      out += series(name, labels) + " " + number(value) + "\n";
  }
  for (const auto& [name, by_labels] : histograms_) {
    header(name, "histogram");
    for (const auto& [labels, h] : by_labels) {
      const std::string sep = labels.empty() ? "" : ",";
      for (std::size_t i = 0; i < latency_buckets.size(); ++i)
        out += name + "_bucket{" + labels + sep + "le=\"" + number(latency_buckets[i]) + "\"} " +
               std::to_string(h.buckets[i]) + "\n";
      out += name + "_bucket{" + labels + sep + "le=\"+Inf\"} " + std::to_string(h.count) + "\n";
      out += series(name + "_sum", labels) + " " + number(h.sum) + "\n";
      out += series(name + "_count", labels) + " " + std::to_string(h.count) + "\n";
    }
  }
  return out;
}

std::string label_value(const std::string& raw) {
  std::string out;
  for (char c : raw) {
    if (c == '\\' || c == '"')
      out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}

} // namespace qs::runtime::metrics
