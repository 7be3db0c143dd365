// Starts `qscan serve` as a real child process on 127.0.0.1 port 0 with its
// data in a temporary folder (or a given one), and waits for its ready line.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

namespace qs::test {

class qscan_server {
public:
  /// `extra` flags are appended to `qscan serve --listen 127.0.0.1:0 --data-dir DIR`.
  explicit qscan_server(std::vector<std::string> extra = {}, std::string data_dir = {},
                        std::map<std::string, std::string> env = {});

  std::uint16_t port() const { return port_; }
  const std::string& data_dir() const { return data_dir_; }
  child_process& process() { return *process_; }

  /// SIGTERM and wait; returns the exit code.
  int stop();

private:
  std::unique_ptr<temp_dir> owned_dir_;
  std::string data_dir_;
  std::unique_ptr<child_process> process_;
  std::uint16_t port_ = 0;
};

/// A JSON body with `n` scan results for assets "<prefix>0".."<prefix>n-1".
std::string scan_results_body(std::size_t n, const std::string& prefix = "asset-");

} // namespace qs::test
