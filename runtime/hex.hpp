// Hexadecimal digits and text: one place for every module that reads or writes them
// (a bytea column, an API key digest, a percent-escape, a model file stored as hex
// by an earlier build). Pure; any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace qs::runtime {

/// The value of a hex digit (either case), or -1.
constexpr int hex_value(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/// The bytes `hex` spells, or nothing when it is not an even run of hex digits.
inline std::optional<std::string> hex_to_bytes(std::string_view hex) {
  if (hex.size() % 2 != 0)
    return std::nullopt;
  std::string out;
  out.reserve(hex.size() / 2);
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const int high = hex_value(hex[i]), low = hex_value(hex[i + 1]);
    if (high < 0 || low < 0)
      return std::nullopt;
    out.push_back(static_cast<char>(high * 16 + low));
  }
  return out;
}

} // namespace qs::runtime
