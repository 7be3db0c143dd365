#pragma once
// Samples another process's resident set size (VmRSS in /proc/PID/status) at a fixed period and
// summarises it: first, last and largest value and the least-squares slope in MiB per minute.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace qs::loadgen {

struct RssSummary {
  int pid = 0;
  std::size_t samples = 0;
  double first_mib = 0;
  double last_mib = 0;
  double max_mib = 0;
  double slope_mib_per_min = 0;
  bool process_gone = false; // the process went away (or became unreadable) during sampling
};

// VmRSS of `pid` in KiB, or -1 when the process cannot be read.
std::int64_t read_rss_kib(int pid);

// Samples from `from_ns` to `until_ns` (CLOCK_MONOTONIC) every `every_s` seconds, including
// both ends, sleeping in the calling thread in between.
RssSummary sample_rss(int pid, std::int64_t from_ns, std::int64_t until_ns, double every_s);

} // namespace qs::loadgen
