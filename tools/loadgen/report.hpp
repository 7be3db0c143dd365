#pragma once
// Prints the result of a run as text for people or as one JSON object for scripts.

#include "options.hpp"
#include "rss_sampler.hpp"
#include "scheduler.hpp"

#include <ostream>

namespace qs::loadgen {

struct Report {
  const Options& options;
  const WorkerStats& stats;
  const RssSummary* rss; // null without --pid

  double requests_per_second() const;
  std::int64_t non_2xx() const;
  std::int64_t errors() const; // connect + I/O + bad responses + timeouts + unsent
};

void print_text(std::ostream& out, const Report& report);
void print_json(std::ostream& out, const Report& report);

} // namespace qs::loadgen
