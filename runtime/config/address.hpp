// HOST:PORT listen addresses ("127.0.0.1:8000", "[::1]:0", "localhost:8000").
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace qs::runtime::config {

struct address {
  std::string host;
  std::uint16_t port = 0;
};

std::optional<address> parse_address(const std::string& text);

/// True for 127.0.0.0/8, ::1 and "localhost".
bool is_loopback(const std::string& host);

} // namespace qs::runtime::config
