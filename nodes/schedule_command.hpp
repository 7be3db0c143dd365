// `qscan schedule add|list|rm`: a running bridge's scheduled scans from the command
// line (POST, GET and DELETE /v1/schedules), with its URL and API key.
#pragma once

#include <string>
#include <vector>

namespace qs::nodes {

/// Exit status: 0 done, 1 the bridge refused or could not be reached, 2 bad usage.
int run_schedule(const std::vector<std::string>& args);

} // namespace qs::nodes
