// `qscan api-key`: makes the bridge's API keys. A new key is printed once and
// only its SHA-256 digest is written to the key file.
#pragma once

#include <string>
#include <vector>

namespace qs::nodes {

int run_api_key(const std::vector<std::string>& args);

} // namespace qs::nodes
