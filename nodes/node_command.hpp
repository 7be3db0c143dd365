// `qscan node`: one cluster node running the roles it is given (see node_options.hpp
// and docs/operations.md).
#pragma once

#include <string>
#include <vector>

namespace qs::nodes {

/// The process exit code: 0 after a drain, 1 when the node could not run or was
/// refused, 2 for bad usage.
int run_node(const std::vector<std::string>& args);

} // namespace qs::nodes
