#include "tests/support/temp_dir.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <utility>
#include <vector>

namespace qs::test {

temp_dir::temp_dir(const std::string& prefix) {
  std::string pattern = "/tmp/" + prefix + "XXXXXX";
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (::mkdtemp(buffer.data()) == nullptr)
    throw std::runtime_error("temp_dir: mkdtemp " + pattern + ": " + std::strerror(errno));
  path_ = buffer.data();
}

temp_dir::~temp_dir() {
  remove();
}

temp_dir::temp_dir(temp_dir&& other) noexcept : path_(std::exchange(other.path_, {})) {}

temp_dir& temp_dir::operator=(temp_dir&& other) noexcept {
  if (this != &other) {
    remove();
    path_ = std::exchange(other.path_, {});
  }
  return *this;
}

void temp_dir::remove() {
  if (path_.empty())
    return;
  std::error_code ignored; // a leftover directory in /tmp must not fail a test
  std::filesystem::remove_all(path_, ignored);
  path_.clear();
}

} // namespace qs::test
