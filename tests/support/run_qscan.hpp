// Runs the qscan binary as a command, from a given folder, with its stdout
// captured whole and the tail of its stderr; waits at most five minutes.
#pragma once

#include <string>
#include <vector>

namespace qs::test {

struct run_result {
  int code = 0;
  std::string out, err;
};

/// Runs `qscan ARGS...` from the folder `cwd`.
run_result run_qscan(const std::vector<std::string>& args, const std::string& cwd);

} // namespace qs::test
