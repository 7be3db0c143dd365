// Test-only fault injection, off unless the node runs with --fault-injection:
// a scan result whose metadata has "qscan_fault": "crash-predictor" (or
// "crash-anomaly") makes the worker that handles it throw, as a real bug would.
#pragma once

#include <stdexcept>
#include <string>

#include "actors/messages.hpp"

namespace qs::actors {

inline void maybe_crash(bool enabled, const slice& task, const char* fault) {
  if (!enabled)
    return;
  for (auto i : task.indices) {
    const auto& meta = task.work->results[i].metadata();
    auto it = meta.find("qscan_fault");
    if (it != meta.end() && it->value().is_string() && it->value().get_string() == fault)
      throw std::runtime_error(std::string("injected fault: ") + fault);
  }
}

} // namespace qs::actors
