// A fresh directory under /tmp for one test, removed with everything in it when
// the object goes away.
#pragma once

#include <string>

namespace qs::test {

class temp_dir {
public:
  /// Creates /tmp/<prefix>XXXXXX; throws std::runtime_error.
  explicit temp_dir(const std::string& prefix = "qs-test-");
  ~temp_dir();
  temp_dir(temp_dir&& other) noexcept;
  temp_dir& operator=(temp_dir&& other) noexcept;
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;

  const std::string& path() const { return path_; }
  /// path() + "/" + name
  std::string file(const std::string& name) const { return path_ + "/" + name; }

private:
  void remove();

  std::string path_;
};

} // namespace qs::test
