#include "protocol/cbor.hpp"

#include <cstring>

#include "protocol/cbor_heads.hpp"

namespace qs::protocol::cbor {

using namespace heads;

const char* describe(kind k) {
  switch (k) {
  case kind::unsigned_int:
    return "an unsigned integer";
  case kind::negative_int:
    return "a negative integer";
  case kind::bytes:
    return "a byte string";
  case kind::text:
    return "a text string";
  case kind::array:
    return "an array";
  case kind::map:
    return "a map";
  case kind::tag:
    return "a tag";
  case kind::boolean:
    return "a boolean";
  case kind::null:
    return "null";
  case kind::float64:
    return "a float64";
  case kind::invalid:
    break;
  }
  return "nothing readable";
}

// ---- writer -----------------------------------------------------------------

void writer::head(std::uint8_t major, std::uint64_t argument) {
  const auto first = static_cast<char>(major << 5);
  if (argument < 24) {
    out_ += static_cast<char>(first | static_cast<char>(argument));
    return;
  }
  int bytes = 8;
  std::uint8_t info = 27;
  if (argument <= 0xff)
    bytes = 1, info = 24;
  else if (argument <= 0xffff)
    bytes = 2, info = 25;
  else if (argument <= 0xffffffff)
    bytes = 4, info = 26;
  out_ += static_cast<char>(first | static_cast<char>(info));
  for (int i = bytes - 1; i >= 0; --i)
    out_ += static_cast<char>((argument >> (8 * i)) & 0xff);
}

writer& writer::unsigned_int(std::uint64_t n) {
  head(major_unsigned, n);
  return *this;
}

writer& writer::integer(std::int64_t n) {
  if (n >= 0)
    head(major_unsigned, static_cast<std::uint64_t>(n));
  else // -1 - n, without overflow for INT64_MIN
    head(major_negative, ~static_cast<std::uint64_t>(n));
  return *this;
}

writer& writer::bytes(std::string_view b) {
  head(major_bytes, b.size());
  out_.append(b.data(), b.size());
  return *this;
}

writer& writer::text(std::string_view t) {
  head(major_text, t.size());
  out_.append(t.data(), t.size());
  return *this;
}

writer& writer::array(std::size_t n) {
  head(major_array, n);
  return *this;
}

writer& writer::map(std::size_t n) {
  head(major_map, n);
  return *this;
}

writer& writer::tag(std::uint64_t number) {
  head(major_tag, number);
  return *this;
}

writer& writer::boolean(bool b) {
  out_ += static_cast<char>((major_simple << 5) | (b ? simple_true : simple_false));
  return *this;
}

writer& writer::null() {
  out_ += static_cast<char>((major_simple << 5) | simple_null);
  return *this;
}

writer& writer::float64(double d) {
  std::uint64_t bits = 0;
  std::memcpy(&bits, &d, sizeof bits);
  out_ += static_cast<char>((major_simple << 5) | float64_info);
  for (int i = 7; i >= 0; --i)
    out_ += static_cast<char>((bits >> (8 * i)) & 0xff);
  return *this;
}

writer& writer::raw(std::string_view item) {
  out_.append(item.data(), item.size());
  return *this;
}

} // namespace qs::protocol::cbor
