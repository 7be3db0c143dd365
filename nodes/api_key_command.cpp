#include "nodes/api_key_command.hpp"

#include <cerrno>
#include <cstring>
#include <iostream>

#include <fcntl.h>
#include <unistd.h>

#include "runtime/auth/api_keys.hpp"
#include "runtime/auth/audit.hpp"

namespace qs::nodes {

namespace auth = runtime::auth;

namespace {

const char* usage_text = R"(usage:
  qscan api-key new NAME --file FILE [--admin] [--rate N] [--burst N]
      makes a random key, prints it once on stdout, and appends its SHA-256 digest
      to FILE (created with mode 0600), the file `qscan serve --api-keys` reads
      (send SIGHUP to a running server to load it)
  qscan api-key hash
      reads a key from stdin and prints the "sha256:..." form the key file keeps
)";

int usage() {
  std::cerr << usage_text;
  return 2;
}

bool is_number(const std::string& s) {
  char* end = nullptr;
  errno = 0;
  const double d = std::strtod(s.c_str(), &end);
  return !s.empty() && errno == 0 && end && *end == '\0' && d >= 0;
}

// Appends one line to `file` (O_APPEND, mode 0600 when new) and syncs it.
std::string append_line(const std::string& file, const std::string& line) {
  const int fd = ::open(file.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    return "cannot open " + file + ": " + std::strerror(errno);
  const bool ok = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) &&
                  ::fsync(fd) == 0;
  const std::string why = ok ? "" : "cannot write " + file + ": " + std::strerror(errno);
  ::close(fd);
  return why;
}

int make_key(const std::vector<std::string>& args) {
  std::string name, file, rate, burst;
  bool admin = false;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const auto& a = args[i];
    const bool has_value = i + 1 < args.size();
    if (a == "--admin")
      admin = true;
    else if (a == "--file" && has_value)
      file = args[++i];
    else if (a == "--rate" && has_value)
      rate = args[++i];
    else if (a == "--burst" && has_value)
      burst = args[++i];
    else if (a.rfind("-", 0) != 0 && name.empty())
      name = a;
    else
      return usage();
  }
  if (name.empty() || file.empty() || (!burst.empty() && rate.empty()))
    return usage();
  if (name.find_first_of(" \t#") != std::string::npos) {
    std::cerr << "qscan api-key new: a name has no spaces or '#'\n";
    return 2;
  }
  for (const auto* n : {&rate, &burst})
    if (!n->empty() && !is_number(*n)) {
      std::cerr << "qscan api-key new: --rate and --burst take a number, got \"" << *n << "\"\n";
      return 2;
    }
  const std::string secret = auth::generate_secret();
  std::string line = auth::hashed_key_entry(secret) + " " + name + " " + (admin ? "admin" : "user");
  if (!rate.empty())
    line += " " + rate + (burst.empty() ? "" : " " + burst);
  if (auto why = append_line(file, line + "\n"); !why.empty()) {
    std::cerr << "qscan api-key new: " << why << "\n";
    return 1;
  }
  std::cout << secret << std::endl;
  const std::string id = auth::to_hex(auth::sha256(secret).data(), 8);
  std::cerr << "added key " << name << " (id " << id << ", " << (admin ? "admin" : "user")
            << ") to " << file << "; it is shown only this once\n";
  auth::audit("api-key-new", auth::os_user(),
              {{"name", name}, {"key_id", id}, {"role", admin ? "admin" : "user"}, {"file", file}});
  return 0;
}

} // namespace

int run_api_key(const std::vector<std::string>& args) {
  for (const auto& a : args)
    if (a == "--help" || a == "-h")
      return std::cout << usage_text, 0;
  if (args.empty())
    return usage();
  if (args[0] == "new")
    return make_key(args);
  if (args[0] == "hash" && args.size() == 1) {
    std::string secret;
    std::getline(std::cin, secret);
    while (!secret.empty() && (secret.back() == '\r' || secret.back() == ' '))
      secret.pop_back();
    if (secret.size() < 16) {
      std::cerr << "qscan api-key hash: a key has at least 16 characters\n";
      return 2;
    }
    std::cout << auth::hashed_key_entry(secret) << "\n";
    return 0;
  }
  return usage();
}

} // namespace qs::nodes
