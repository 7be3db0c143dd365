#include "tests/support/run_qscan.hpp"

#include <chrono>
#include <fstream>
#include <sstream>

#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

namespace qs::test {

run_result run_qscan(const std::vector<std::string>& args, const std::string& cwd) {
  temp_dir out_dir("qs-run-out-");
  std::string command = "cd '" + cwd + "' && exec '" + std::string(QSCAN_BINARY) + "'";
  for (const auto& a : args)
    command += " '" + a + "'";
  command += " > '" + out_dir.file("stdout") + "'";
  auto child = child_process::start({"/bin/sh", "-c", command});
  run_result r;
  r.code = child.wait(std::chrono::minutes(5));
  std::ifstream in(out_dir.file("stdout"));
  std::ostringstream s;
  s << in.rdbuf();
  r.out = s.str();
  r.err = child.stderr_tail(1 << 16);
  return r;
}

} // namespace qs::test
