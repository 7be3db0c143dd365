#include "runtime/config/address.hpp"

#include <charconv>

namespace qs::runtime::config {

std::optional<address> parse_address(const std::string& text) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 >= text.size())
    return std::nullopt;
  address out;
  out.host = text.substr(0, colon);
  if (out.host.front() == '[') {
    if (out.host.back() != ']')
      return std::nullopt;
    out.host = out.host.substr(1, out.host.size() - 2);
  }
  unsigned port = 0;
  const char* first = text.data() + colon + 1;
  const char* last = text.data() + text.size();
  auto [end, ec] = std::from_chars(first, last, port);
  if (ec != std::errc{} || end != last || port > 65535)
    return std::nullopt;
  out.port = static_cast<std::uint16_t>(port);
  return out;
}

bool is_loopback(const std::string& host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

} // namespace qs::runtime::config
