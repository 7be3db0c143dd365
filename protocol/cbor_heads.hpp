// The numbers of RFC 8949's heads (private to protocol/cbor_*.cpp).
#pragma once

#include <cstdint>

namespace qs::protocol::cbor::heads {

constexpr std::uint8_t major_unsigned = 0, major_negative = 1, major_bytes = 2, major_text = 3,
                       major_array = 4, major_map = 5, major_tag = 6, major_simple = 7;
constexpr std::uint8_t simple_false = 20, simple_true = 21, simple_null = 22, float64_info = 27;

} // namespace qs::protocol::cbor::heads
