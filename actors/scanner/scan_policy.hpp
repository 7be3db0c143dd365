// What the scan API lets a caller make the cluster connect to: network targets
// only at addresses inside `--scan-allow` (CIDR blocks; loopback by default),
// each host name resolved once here and that address connected to (so a name
// cannot resolve elsewhere later: no DNS rebinding); file targets only under
// `--scan-files-root`, and none when it is not set. Pure except `resolve`.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "actors/scanner/target.hpp"

namespace qs::scanner {

/// An IPv4 or IPv6 network: "127.0.0.0/8", "::1/128", "10.1.2.3" (a host).
struct cidr {
  bool v6 = false;
  unsigned char bytes[16] = {};
  int prefix = 0;
};

std::optional<cidr> parse_cidr(std::string_view text);
/// A comma-separated list; the error names the bad entry.
std::variant<std::vector<cidr>, std::string> parse_cidr_list(std::string_view text);
/// Does `address` (an IP literal) fall in any of `blocks`?
bool allowed(const std::vector<cidr>& blocks, const std::string& address);

struct scan_policy {
  std::vector<cidr> allow; ///< default: 127.0.0.0/8 and ::1
  std::string files_root;  ///< "" refuses file targets
};

/// The default allow-list: loopback only.
std::vector<cidr> loopback_only();

/// Checks one target against the policy, resolving its host once (blocking:
/// not on an I/O or actor thread). On success the target carries the address to
/// connect to; otherwise the reason it is refused.
std::variant<target, std::string> admit(target t, const scan_policy& policy);

/// On the node that scans, the same check again without resolving anything: a
/// network target must carry an allowed address, a file target must lie under
/// the files root. "" when it may be scanned, else why not.
std::string check_admitted(const target& t, const scan_policy& policy);

} // namespace qs::scanner
