// Key and allow-list commands, run on an operator's machine (no cluster needed):
//
//   qscan keys gen DIR [--force]          write DIR/node.key (0600) and DIR/node.pub
//   qscan keys show DIR                   print the public key and the node id it gives
//   qscan cluster allow KEY_OR_FILE NAME --allow DIR
//   qscan cluster revoke KEY_OR_NAME --allow DIR
//   qscan cluster list --allow DIR
#pragma once

#include <string>
#include <vector>

namespace qs::nodes {

/// Each returns the process exit code (0 done, 1 failed, 2 bad usage).
int run_keys(const std::vector<std::string>& args);
int run_cluster(const std::vector<std::string>& args);

} // namespace qs::nodes
