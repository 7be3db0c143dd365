// `qscan anomaly`: runs the streaming anomaly detectors over a CSV series.
#pragma once

#include <string>
#include <vector>

namespace qs::nodes {

/// Runs `qscan anomaly ARGS...`; returns the exit status.
int run_anomaly(const std::vector<std::string>& args);

} // namespace qs::nodes
