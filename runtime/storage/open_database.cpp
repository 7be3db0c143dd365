#include "runtime/storage/open_database.hpp"

#include <cctype>

namespace qs::runtime::storage {

namespace {

bool starts_with(const std::string& text, const std::string& prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

/// The scheme of "scheme://...", or "" when `url` does not start with one
/// (a path such as "./a://b" has none: a scheme is a letter, then letters,
/// digits, "+", "-" or ".").
std::string scheme_of(const std::string& url) {
  const auto colon = url.find("://");
  if (colon == std::string::npos || colon == 0 || !std::isalpha(static_cast<unsigned char>(url[0])))
    return {};
  for (std::size_t i = 0; i < colon; ++i) {
    const auto ch = static_cast<unsigned char>(url[i]);
    if (!std::isalnum(ch) && ch != '+' && ch != '-' && ch != '.')
      return {};
  }
  return url.substr(0, colon);
}

} // namespace

result<std::unique_ptr<storage>> open_database(const std::string& url, bool synchronous_full) {
  using out = result<std::unique_ptr<storage>>;
  if (starts_with(url, "postgresql://") || starts_with(url, "postgres://"))
    return open_postgres(url);
  std::string path = url;
  if (starts_with(path, "sqlite:")) {
    path.erase(0, 7);
    if (starts_with(path, "//"))
      path.erase(0, 2); // sqlite:///var/qscan.db -> /var/qscan.db
  } else if (const auto scheme = scheme_of(url); !scheme.empty()) {
    return out::failure("unsupported database URL scheme \"" + scheme +
                        "\": use sqlite:PATH, a file path, or postgresql://...");
  }
  if (path.empty())
    return out::failure("no database given: use sqlite:PATH, a file path, or postgresql://...");
  sqlite_options options;
  options.path = path;
  options.synchronous_full = synchronous_full;
  return open_sqlite(options);
}

} // namespace qs::runtime::storage
