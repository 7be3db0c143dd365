// SHA-256 (OpenSSL) for what the bridge keeps about secrets and requests: API
// keys are held and compared as digests, idempotent requests are recognised
// by the digest of their body. Thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace qs::runtime::auth {

using sha256_digest = std::array<std::uint8_t, 32>;

sha256_digest sha256(std::string_view data);

/// Lower-case hex of `bytes`.
std::string to_hex(const std::uint8_t* bytes, std::size_t n);
inline std::string to_hex(const sha256_digest& d) {
  return to_hex(d.data(), d.size());
}

/// True when `a` and `b` are equal, in time that does not depend on where they differ.
bool equal_in_constant_time(const sha256_digest& a, const sha256_digest& b);

} // namespace qs::runtime::auth
