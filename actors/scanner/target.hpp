// A scan target as a user writes it: `tls://host:port` (a bare `host:port`
// means TLS; 443 when the port is left out), `ssh://host:port` (22), or
// `file:///path` (a file, or a folder walked recursively). IPv6 literals go in
// brackets: `tls://[::1]:8443`. Pure.
#pragma once

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "actors/scanner/report.hpp"

namespace qs::scanner {

struct target {
  target_kind kind = target_kind::tls;
  std::string host; ///< without brackets
  int port = 0;
  std::string path;    ///< file targets
  std::string address; ///< when set, the address to connect to (resolved and checked already)
  std::string text;    ///< normalised: "tls://127.0.0.1:8443", "tls://[::1]:443", "file:///etc/ssl"
};

/// The target, or why it is not one ("expected tls://HOST:PORT, ... got \"x\"").
std::variant<target, std::string> parse_target(std::string_view text);

/// The targets of a `--targets` file: one a line, `#` comments, blank lines
/// skipped; errors name the line ("targets.txt:3: ...").
std::variant<std::vector<target>, std::string> parse_target_list(std::string_view text,
                                                                 const std::string& source);

} // namespace qs::scanner
