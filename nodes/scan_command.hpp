// `qscan scan TARGET...`: scans TLS endpoints, SSH servers and key files from
// the command line and writes table, JSON, CycloneDX CBOM or SARIF.
#pragma once

#include <string>
#include <vector>

namespace qs::nodes {

int run_scan(const std::vector<std::string>& args);

} // namespace qs::nodes
