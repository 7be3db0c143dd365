#include "report.hpp"

#include <iomanip>
#include <sstream>

namespace qs::loadgen {
namespace {

double ms(std::int64_t ns) {
  return static_cast<double>(ns) / 1e6;
}

std::string json_string(const std::string& text) {
  std::ostringstream out;
  out << '"';
  for (unsigned char c : text) {
    if (c == '"' || c == '\\') {
      out << '\\' << c;
    } else if (c < 0x20) {
      out << "\\u" << std::hex << std::setw(4) << std::setfill('0') << int{c} << std::dec;
    } else {
      out << c;
    }
  }
  out << '"';
  return out.str();
}

void json_latency(std::ostream& out, const Histogram& h) {
  out << "{\"p50\":" << ms(h.percentile(0.50)) << ",\"p90\":" << ms(h.percentile(0.90))
      << ",\"p99\":" << ms(h.percentile(0.99)) << ",\"p99_9\":" << ms(h.percentile(0.999))
      << ",\"max\":" << ms(h.max()) << ",\"mean\":" << h.mean() / 1e6 << "}";
}

void text_latency(std::ostream& out, const Histogram& h) {
  out << "p50 " << ms(h.percentile(0.50)) << " ms, p90 " << ms(h.percentile(0.90)) << " ms, p99 "
      << ms(h.percentile(0.99)) << " ms, p99.9 " << ms(h.percentile(0.999)) << " ms, max "
      << ms(h.max()) << " ms";
}

} // namespace

double Report::requests_per_second() const {
  return static_cast<double>(stats.completed) / options.duration;
}

std::int64_t Report::non_2xx() const {
  std::int64_t count = 0;
  for (const auto& [status, n] : stats.statuses) {
    if (status < 200 || status > 299) {
      count += n;
    }
  }
  return count;
}

std::int64_t Report::errors() const {
  return stats.connect_errors + stats.io_errors + stats.bad_responses + stats.timeouts +
         stats.unsent;
}

void print_text(std::ostream& out, const Report& report) {
  const auto& o = report.options;
  const auto& s = report.stats;
  out << std::fixed << std::setprecision(3);
  out << "qs-loadgen: " << o.method << " " << o.url << "\n";
  out << "  target     " << std::setprecision(1) << o.rate << " req/s for " << o.duration
      << " s (after " << o.warmup << " s warm-up), " << o.connections << " connections, "
      << o.threads << " thread(s)\n";
  out << "  achieved   " << report.requests_per_second() << " req/s (" << s.completed << " of "
      << s.scheduled << " due requests answered)\n";
  out << std::setprecision(3);
  out << "  latency    ";
  text_latency(out, s.latency);
  out << "\n             (from each request's scheduled send time)\n";
  out << "  service    ";
  text_latency(out, s.service);
  out << "\n             (from the actual send; the gap to latency is queueing in the client)\n";
  out << "  statuses  ";
  if (s.statuses.empty()) {
    out << " none";
  }
  for (const auto& [status, count] : s.statuses) {
    out << " " << status << ": " << count;
  }
  out << "\n  errors     " << report.errors() << " (connect " << s.connect_errors << ", I/O "
      << s.io_errors << ", bad response " << s.bad_responses << ", timeout " << s.timeouts
      << ", unsent " << s.unsent << "); non-2xx " << report.non_2xx() << "\n";
  if (report.rss != nullptr) {
    const auto& r = *report.rss;
    out << "  rss        pid " << r.pid << ": first " << r.first_mib << " MiB, last " << r.last_mib
        << " MiB, max " << r.max_mib << " MiB, slope " << std::showpos << r.slope_mib_per_min
        << std::noshowpos << " MiB/min over " << r.samples << " samples every " << o.sample_every
        << " s" << (r.process_gone ? " (the process went away during the run)" : "") << "\n";
  }
}

void print_json(std::ostream& out, const Report& report) {
  const auto& o = report.options;
  const auto& s = report.stats;
  out << std::setprecision(6);
  out << "{\"url\":" << json_string(o.url) << ",\"method\":" << json_string(o.method)
      << ",\"target_rate\":" << o.rate << ",\"duration_s\":" << o.duration
      << ",\"warmup_s\":" << o.warmup << ",\"connections\":" << o.connections
      << ",\"threads\":" << o.threads << ",\"scheduled\":" << s.scheduled
      << ",\"completed\":" << s.completed
      << ",\"requests_per_sec\":" << report.requests_per_second() << ",\"latency_ms\":";
  json_latency(out, s.latency);
  out << ",\"service_ms\":";
  json_latency(out, s.service);
  out << ",\"statuses\":{";
  bool first = true;
  for (const auto& [status, count] : s.statuses) {
    out << (first ? "" : ",") << "\"" << status << "\":" << count;
    first = false;
  }
  out << "},\"non_2xx\":" << report.non_2xx() << ",\"errors\":{\"total\":" << report.errors()
      << ",\"connect\":" << s.connect_errors << ",\"io\":" << s.io_errors
      << ",\"bad_response\":" << s.bad_responses << ",\"timeout\":" << s.timeouts
      << ",\"unsent\":" << s.unsent << "}";
  if (report.rss != nullptr) {
    const auto& r = *report.rss;
    out << ",\"rss\":{\"pid\":" << r.pid << ",\"samples\":" << r.samples
        << ",\"sample_every_s\":" << o.sample_every << ",\"first_mib\":" << r.first_mib
        << ",\"last_mib\":" << r.last_mib << ",\"max_mib\":" << r.max_mib
        << ",\"slope_mib_per_min\":" << r.slope_mib_per_min
        << ",\"process_gone\":" << (r.process_gone ? "true" : "false") << "}";
  }
  out << "}\n";
}

} // namespace qs::loadgen
