#include "tests/support/process.hpp"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <poll.h>
#include <spawn.h>
#include <stdexcept>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <utility>

extern char** environ;

namespace qs::test {
namespace {

using steady_clock = std::chrono::steady_clock;

std::runtime_error system_error(const std::string& what) {
  return std::runtime_error("child_process: " + what + ": " + std::strerror(errno));
}

/// posix_spawn file actions, released on every path.
struct file_actions {
  posix_spawn_file_actions_t actions;
  file_actions() { posix_spawn_file_actions_init(&actions); }
  ~file_actions() { posix_spawn_file_actions_destroy(&actions); }
  file_actions(const file_actions&) = delete;
  file_actions& operator=(const file_actions&) = delete;
};

} // namespace

child_process child_process::start(std::vector<std::string> argv,
                                   std::map<std::string, std::string> extra_env) {
  if (argv.empty())
    throw std::runtime_error("child_process: empty argv");
  child_process child;
  char path_template[] = "/tmp/qs-child-stderr-XXXXXX";
  int stderr_fd = ::mkostemp(path_template, O_CLOEXEC);
  if (stderr_fd < 0)
    throw system_error("mkostemp");
  child.stderr_path_ = path_template;
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
    ::close(stderr_fd);
    throw system_error("pipe2");
  }
  child.stdout_fd_ = pipe_fds[0];

  std::map<std::string, std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string entry = *e;
    auto eq = entry.find('=');
    if (eq != std::string::npos)
      env[entry.substr(0, eq)] = entry.substr(eq + 1);
  }
  for (auto& [name, value] : extra_env)
    env[name] = value;
  std::vector<std::string> env_entries;
  for (auto& [name, value] : env)
    env_entries.push_back(name + "=" + value);
  std::vector<char*> envp;
  for (auto& entry : env_entries)
    envp.push_back(entry.data());
  envp.push_back(nullptr);
  std::vector<char*> args;
  for (auto& arg : argv)
    args.push_back(arg.data());
  args.push_back(nullptr);

  file_actions actions;
  posix_spawn_file_actions_addopen(&actions.actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions.actions, pipe_fds[1], 1);
  posix_spawn_file_actions_adddup2(&actions.actions, stderr_fd, 2);
  pid_t pid = -1;
  int rc = ::posix_spawnp(&pid, args[0], &actions.actions, nullptr, args.data(), envp.data());
  ::close(pipe_fds[1]);
  ::close(stderr_fd);
  if (rc != 0) {
    errno = rc;
    throw system_error("cannot start " + argv[0]);
  }
  child.pid_ = pid;
  return child;
}

child_process::child_process(child_process&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)), stdout_fd_(std::exchange(other.stdout_fd_, -1)),
      stdout_buffer_(std::move(other.stdout_buffer_)),
      stderr_path_(std::exchange(other.stderr_path_, {})),
      exit_status_(std::exchange(other.exit_status_, std::nullopt)) {}

child_process& child_process::operator=(child_process&& other) noexcept {
  if (this != &other) {
    release_resources();
    pid_ = std::exchange(other.pid_, -1);
    stdout_fd_ = std::exchange(other.stdout_fd_, -1);
    stdout_buffer_ = std::move(other.stdout_buffer_);
    stderr_path_ = std::exchange(other.stderr_path_, {});
    exit_status_ = std::exchange(other.exit_status_, std::nullopt);
  }
  return *this;
}

child_process::~child_process() {
  release_resources();
}

void child_process::release_resources() {
  if (pid_ > 0 && !reap(false)) {
    ::kill(pid_, SIGKILL);
    reap(true);
  }
  if (stdout_fd_ >= 0)
    ::close(stdout_fd_);
  if (!stderr_path_.empty())
    ::unlink(stderr_path_.c_str());
  pid_ = -1;
  stdout_fd_ = -1;
  stderr_path_.clear();
}

bool child_process::reap(bool block) {
  if (exit_status_)
    return true;
  if (pid_ <= 0)
    return true;
  int status = 0;
  pid_t r;
  do
    r = ::waitpid(pid_, &status, block ? 0 : WNOHANG);
  while (r < 0 && errno == EINTR);
  if (r == pid_) {
    exit_status_ = status;
    return true;
  }
  return r < 0; // ECHILD: someone else reaped it
}

bool child_process::running() {
  return !reap(false);
}

void child_process::signal(int sig) {
  if (pid_ > 0 && !reap(false))
    ::kill(pid_, sig);
}

int child_process::wait(std::chrono::milliseconds deadline) {
  auto until = steady_clock::now() + deadline;
  while (!reap(false)) {
    if (steady_clock::now() >= until)
      throw std::runtime_error("child_process: pid " + std::to_string(pid_) +
                               " still running after " + std::to_string(deadline.count()) +
                               " ms; stderr:\n" + stderr_tail());
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (!exit_status_)
    return -1;
  if (WIFSIGNALED(*exit_status_))
    return -WTERMSIG(*exit_status_);
  return WEXITSTATUS(*exit_status_);
}

std::string child_process::wait_for_line(std::string_view prefix,
                                         std::chrono::milliseconds deadline) {
  auto until = steady_clock::now() + deadline;
  auto failure = [&](const std::string& why) {
    return std::runtime_error("child_process: no stdout line starting with \"" +
                              std::string(prefix) + "\": " + why + "; stderr:\n" + stderr_tail());
  };
  for (;;) {
    for (auto end = stdout_buffer_.find('\n'); end != std::string::npos;
         end = stdout_buffer_.find('\n')) {
      std::string line = stdout_buffer_.substr(0, end);
      stdout_buffer_.erase(0, end + 1);
      if (line.compare(0, prefix.size(), prefix) == 0)
        return line;
    }
    if (stdout_fd_ < 0)
      throw failure(running() ? "the child closed its stdout"
                              : "the child exited with status " + std::to_string(wait({})));
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - steady_clock::now());
    if (left.count() <= 0)
      throw failure("deadline of " + std::to_string(deadline.count()) + " ms passed");
    pollfd p{stdout_fd_, POLLIN, 0};
    int n = ::poll(&p, 1, static_cast<int>(std::min<long long>(left.count(), 100)));
    if (n < 0 && errno != EINTR)
      throw system_error("poll");
    if (n <= 0) {
      if (!running())
        throw failure("the child exited with status " + std::to_string(wait({})));
      continue;
    }
    char chunk[4096];
    ssize_t got = ::read(stdout_fd_, chunk, sizeof chunk);
    if (got < 0 && errno == EINTR)
      continue;
    if (got <= 0) {
      ::close(stdout_fd_);
      stdout_fd_ = -1;
      continue;
    }
    stdout_buffer_.append(chunk, static_cast<std::size_t>(got));
  }
}

std::string child_process::stderr_tail(std::size_t max_bytes) const {
  std::ifstream file(stderr_path_, std::ios::binary | std::ios::ate);
  if (!file)
    return {};
  auto size = static_cast<std::size_t>(file.tellg());
  auto start = size > max_bytes ? size - max_bytes : 0;
  file.seekg(static_cast<std::streamoff>(start));
  std::string out(size - start, '\0');
  file.read(out.data(), static_cast<std::streamsize>(out.size()));
  return out;
}

namespace {

std::size_t status_field_kib(pid_t pid, const std::string& field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(field + ":", 0) == 0)
      return std::stoul(line.substr(field.size() + 1));
  return 0;
}

} // namespace

std::size_t child_process::resident_kib() const {
  return status_field_kib(pid_, "VmRSS");
}

std::size_t child_process::peak_resident_kib() const {
  return status_field_kib(pid_, "VmHWM");
}

} // namespace qs::test
