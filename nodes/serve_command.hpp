// `qscan serve`: every role (coordinator, predictor, anomaly, persistence,
// bridge) in one process, with an embedded SQLite database, serving the
// bridge over HTTP until SIGINT or SIGTERM.
#pragma once

#include <string>
#include <vector>

namespace qs::nodes {

/// Returns the process exit code.
int run_serve(const std::vector<std::string>& args);

} // namespace qs::nodes
