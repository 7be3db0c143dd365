// `qscan intel import-nvd FEED... | import-kev FILE`: loads NVD feeds and the
// KEV catalogue into the CVE catalogue the threat model reads.
#pragma once

#include <string>
#include <vector>

namespace qs::nodes {

int run_intel(const std::vector<std::string>& args);

} // namespace qs::nodes
