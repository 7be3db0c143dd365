// `qscan model train|eval|info|score`: the exploit model's life on the command
// line. Trains on NVD feeds labelled by KEV, measures on later years beside the
// CVSS ranking, describes a model file, and scores every CVE of some feeds.
#pragma once

#include <string>
#include <vector>

namespace qs::nodes {

int run_model(const std::vector<std::string>& args);

} // namespace qs::nodes
