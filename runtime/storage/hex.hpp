// Model bytes travel to both back-ends as hex text (PostgreSQL decodes it into
// BYTEA; SQLite keeps the text), so neither needs a binary parameter path.
#pragma once

#include <string>
#include <string_view>

namespace qs::runtime::storage {

inline std::string bytes_to_hex(std::string_view bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(digits[c >> 4]);
    out.push_back(digits[c & 15]);
  }
  return out;
}

/// "" when `hex` is not hex.
inline std::string hex_to_bytes(std::string_view hex) {
  auto value = [](char c) {
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
  };
  std::string out;
  if (hex.size() % 2)
    return out;
  out.reserve(hex.size() / 2);
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const int hi = value(hex[i]), lo = value(hex[i + 1]);
    if (hi < 0 || lo < 0)
      return {};
    out.push_back(static_cast<char>(hi * 16 + lo));
  }
  return out;
}

} // namespace qs::runtime::storage
