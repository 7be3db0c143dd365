// A child process for end-to-end tests: started with posix_spawn, its stdout read
// line by line through a pipe, its stderr kept in a temp file so a failure can
// show what the child said. Every wait has a deadline. The destructor kills and
// reaps a child that is still running. Not thread-safe: one owner.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

namespace qs::test {

class child_process {
public:
  /// Starts argv[0] (searched in PATH when it has no '/') with the current
  /// environment plus `extra_env` (which wins). Throws std::runtime_error.
  static child_process start(std::vector<std::string> argv,
                             std::map<std::string, std::string> extra_env = {});

  child_process(child_process&& other) noexcept;
  child_process& operator=(child_process&& other) noexcept;
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;
  ~child_process();

  /// Reads stdout lines until one starts with `prefix` and returns it (without
  /// the newline). Throws on the deadline or when the child exits first; the
  /// message includes the tail of the child's stderr.
  std::string wait_for_line(std::string_view prefix, std::chrono::milliseconds deadline);
  void signal(int sig);
  /// The exit code, or -N when killed by signal N. Throws on the deadline.
  int wait(std::chrono::milliseconds deadline);
  bool running();
  pid_t pid() const { return pid_; }
  /// The last `max_bytes` the child wrote to stderr.
  std::string stderr_tail(std::size_t max_bytes = 4096) const;
  /// The child's resident memory now (VmRSS) and at its peak (VmHWM), in KiB;
  /// 0 when it cannot be read.
  std::size_t resident_kib() const;
  std::size_t peak_resident_kib() const;

private:
  child_process() = default;
  void release_resources();
  /// Reaps the child if it has exited; true when it has.
  bool reap(bool block);

  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  std::string stdout_buffer_; ///< bytes read but not yet split into lines
  std::string stderr_path_;
  std::optional<int> exit_status_; ///< raw waitpid status once reaped
};

} // namespace qs::test
