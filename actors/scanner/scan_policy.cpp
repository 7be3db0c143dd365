#include "actors/scanner/scan_policy.hpp"

#include <charconv>
#include <cstring>
#include <filesystem>

#include <arpa/inet.h>
#include <netdb.h>

namespace qs::scanner {

std::optional<cidr> parse_cidr(std::string_view text) {
  const auto slash = text.find('/');
  const std::string address(text.substr(0, slash));
  cidr c;
  if (inet_pton(AF_INET, address.c_str(), c.bytes) == 1) {
    c.prefix = 32;
  } else if (inet_pton(AF_INET6, address.c_str(), c.bytes) == 1) {
    c.v6 = true;
    c.prefix = 128;
  } else {
    return std::nullopt;
  }
  if (slash != std::string_view::npos) {
    const auto p = text.substr(slash + 1);
    int prefix = -1;
    if (std::from_chars(p.data(), p.data() + p.size(), prefix).ptr != p.data() + p.size() ||
        prefix < 0 || prefix > c.prefix)
      return std::nullopt;
    c.prefix = prefix;
  }
  return c;
}

std::variant<std::vector<cidr>, std::string> parse_cidr_list(std::string_view text) {
  std::vector<cidr> out;
  while (!text.empty()) {
    const auto comma = text.find(',');
    auto item = text.substr(0, comma);
    while (!item.empty() && item.front() == ' ')
      item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ')
      item.remove_suffix(1);
    if (!item.empty()) {
      auto c = parse_cidr(item);
      if (!c)
        return "not an address or CIDR block: \"" + std::string(item) + "\"";
      out.push_back(*c);
    }
    if (comma == std::string_view::npos)
      break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

bool allowed(const std::vector<cidr>& blocks, const std::string& address) {
  unsigned char a[16] = {};
  bool v6 = false;
  if (inet_pton(AF_INET, address.c_str(), a) != 1) {
    if (inet_pton(AF_INET6, address.c_str(), a) != 1)
      return false;
    v6 = true;
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (std::memcmp(a, mapped, 12) == 0) { // ::ffff:a.b.c.d is the IPv4 address
      std::memmove(a, a + 12, 4);
      v6 = false;
    }
  }
  for (const auto& b : blocks) {
    if (b.v6 != v6)
      continue;
    int bits = b.prefix;
    bool match = true;
    for (int i = 0; bits > 0 && match; ++i, bits -= 8) {
      const unsigned char mask = bits >= 8 ? 0xff : static_cast<unsigned char>(0xff << (8 - bits));
      match = (a[i] & mask) == (b.bytes[i] & mask);
    }
    if (match)
      return true;
  }
  return false;
}

std::vector<cidr> loopback_only() {
  return {*parse_cidr("127.0.0.0/8"), *parse_cidr("::1/128")};
}

std::variant<target, std::string> admit(target t, const scan_policy& policy) {
  namespace fs = std::filesystem;
  if (t.kind == target_kind::file) {
    if (policy.files_root.empty())
      return std::string("file targets are not allowed through the API (the node has no "
                         "--scan-files-root)");
    std::error_code root_error, path_error;
    const auto root = fs::weakly_canonical(policy.files_root, root_error);
    const auto path = fs::weakly_canonical(t.path, path_error);
    const auto rel = path.lexically_relative(root);
    if (root_error || path_error || rel.empty() || *rel.begin() == "..")
      return "outside --scan-files-root " + root.string();
    t.path = path.string();
    return t;
  }
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (getaddrinfo(t.host.c_str(), nullptr, &hints, &found) != 0 || !found)
    return "cannot resolve " + t.host;
  std::string chosen, first;
  for (auto* a = found; a; a = a->ai_next) {
    char text[INET6_ADDRSTRLEN] = {};
    const void* raw =
        a->ai_family == AF_INET
            ? static_cast<const void*>(&reinterpret_cast<sockaddr_in*>(a->ai_addr)->sin_addr)
            : static_cast<const void*>(&reinterpret_cast<sockaddr_in6*>(a->ai_addr)->sin6_addr);
    inet_ntop(a->ai_family, raw, text, sizeof text);
    if (first.empty())
      first = text;
    if (allowed(policy.allow, text) && (chosen.empty() || a->ai_family == AF_INET))
      chosen = text; // an allowed address, IPv4 preferred
  }
  freeaddrinfo(found);
  if (chosen.empty())
    return t.host + " resolves to " + first + ", outside --scan-allow";
  t.address = chosen;
  return t;
}

std::string check_admitted(const target& t, const scan_policy& policy) {
  if (t.kind == target_kind::file) {
    auto again = admit(t, policy);
    return std::holds_alternative<std::string>(again) ? std::get<std::string>(again) : "";
  }
  if (t.address.empty())
    return "no address was checked for " + t.host;
  if (!allowed(policy.allow, t.address))
    return t.address + " is outside this node's --scan-allow";
  return "";
}

} // namespace qs::scanner
