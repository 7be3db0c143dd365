#pragma once
// The open-loop scheduler: one event-loop thread (epoll + timerfd) owning a share of the
// connections. Request n of the whole run is due at start + n / rate; thread i of T sends the
// requests with n % T == i, so the threads together keep exact 1/rate spacing. Due requests that
// find every connection busy wait in a queue (just a pair of counters, since due times are
// computed), and latency is measured from the due time, not from the actual send.

#include "histogram.hpp"
#include "target.hpp"

#include <cstdint>
#include <map>
#include <string>

namespace qs::loadgen {

struct Schedule {
  std::int64_t start_ns = 0;        // CLOCK_MONOTONIC time of request 0
  std::int64_t measure_from_ns = 0; // requests due before this are warm-up
  std::int64_t deadline_ns = 0;     // hard stop, after the drain period
  double interval_ns = 0;           // 1e9 / rate
  std::int64_t total_requests = 0;  // over warm-up and measurement, all threads
};

struct WorkerStats {
  Histogram latency; // due time -> response complete
  Histogram service; // actual send -> response complete
  std::map<int, std::int64_t> statuses;
  std::int64_t scheduled = 0; // measured requests that came due
  std::int64_t completed = 0;
  std::int64_t connect_errors = 0;
  std::int64_t io_errors = 0;
  std::int64_t bad_responses = 0;
  std::int64_t timeouts = 0; // sent but unanswered at the deadline
  std::int64_t unsent = 0;   // still queued at the deadline: the target rate was not kept

  void merge(const WorkerStats& other);
};

std::int64_t monotonic_ns();

// Runs thread `index` of `threads` with `connections` connections until its share of the
// schedule is done or the deadline passes. Throws std::runtime_error if epoll cannot be set up.
WorkerStats run_worker(const Target& target, const std::string& request, const Schedule& schedule,
                       int index, int threads, int connections);

} // namespace qs::loadgen
