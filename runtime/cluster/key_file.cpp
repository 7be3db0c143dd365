#include "runtime/cluster/key_file.hpp"

#include <cerrno>
#include <fstream>
#include <sstream>
#include <system_error>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace qs::runtime::cluster::detail {

namespace {

std::string describe(int error) {
  return std::generic_category().message(error);
}

// A file from mkostemp (mode 0600); closed and removed when it goes away, unless
// `keep()` was called after it was renamed into place.
class temp_file {
public:
  explicit temp_file(std::string path_template) : path_(std::move(path_template)) {
    fd_ = ::mkostemp(path_.data(), O_CLOEXEC);
    exists_ = fd_ >= 0;
  }
  ~temp_file() {
    close();
    if (exists_)
      ::unlink(path_.c_str());
  }
  temp_file(const temp_file&) = delete;
  temp_file& operator=(const temp_file&) = delete;

  bool opened() const { return fd_ >= 0; }
  int fd() const { return fd_; }
  const std::string& path() const { return path_; }
  int close() {
    const int rc = fd_ >= 0 ? ::close(fd_) : 0;
    fd_ = -1;
    return rc;
  }
  void keep() { exists_ = false; }

private:
  std::string path_;
  int fd_ = -1;
  bool exists_ = false;
};

void sync_directory_of(const std::string& path) {
  const auto slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : path.substr(0, slash + 1);
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

} // namespace

qs::expected<std::string> key_line_of(std::string_view text, const std::string& file) {
  while (!text.empty()) {
    const auto end = text.find('\n');
    const auto line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    const auto first = line.find_first_not_of(" \t\r");
    if (first == std::string_view::npos || line[first] == '#')
      continue;
    const auto last = line.find_last_not_of(" \t\r");
    return std::string(line.substr(first, last - first + 1));
  }
  return qs::error(errc::bad_key, file + " holds no key");
}

qs::expected<std::string> read_key_line(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in)
    return qs::error(errc::io, "cannot read " + file + ": " + describe(errno));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad())
    return qs::error(errc::io, "cannot read " + file + ": " + describe(errno));
  return key_line_of(text.str(), file);
}

qs::expected<std::string> write_key_file(const std::string& path, const std::string& content,
                                         mode_t mode, on_existing existing) {
  temp_file temp(path + ".tmp.XXXXXX");
  if (!temp.opened())
    return qs::error(errc::io,
                     "cannot create a temporary file for " + path + ": " + describe(errno));
  if (::fchmod(temp.fd(), mode) != 0)
    return qs::error(errc::io, "cannot set the mode of " + temp.path() + ": " + describe(errno));
  for (std::size_t done = 0; done < content.size();) {
    const ssize_t n = ::write(temp.fd(), content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return qs::error(errc::io, "cannot write " + temp.path() + ": " + describe(errno));
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(temp.fd()) != 0 || temp.close() != 0)
    return qs::error(errc::io, "cannot write " + temp.path() + ": " + describe(errno));

  if (existing == on_existing::replace) {
    if (::rename(temp.path().c_str(), path.c_str()) != 0)
      return qs::error(errc::io, "cannot replace " + path + ": " + describe(errno));
    temp.keep();
  } else {
    // link() fails with EEXIST rather than replacing: no window between check and write.
    if (::link(temp.path().c_str(), path.c_str()) != 0) {
      if (errno == EEXIST)
        return qs::error(errc::exists, "refusing to overwrite " + path);
      return qs::error(errc::io, "cannot create " + path + ": " + describe(errno));
    }
  }
  sync_directory_of(path);
  return path;
}

} // namespace qs::runtime::cluster::detail
