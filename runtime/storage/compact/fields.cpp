#include "runtime/storage/compact/fields.hpp"

namespace qs::runtime::storage::compact {

field_writer& field_writer::number(std::uint64_t value) {
  while (value >= 0x80) {
    out_.push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out_.push_back(static_cast<char>(value));
  return *this;
}

field_writer& field_writer::text(std::string_view value) {
  number(value.size());
  out_.append(value);
  return *this;
}

std::uint64_t field_reader::number() {
  std::uint64_t value = 0;
  for (int shift = 0; ok_ && shift < 64; shift += 7) {
    if (in_.empty())
      break;
    const auto byte = static_cast<unsigned char>(in_.front());
    in_.remove_prefix(1);
    value |= std::uint64_t{byte & 0x7fu} << shift;
    if ((byte & 0x80) == 0)
      return value;
  }
  ok_ = false;
  return 0;
}

std::string_view field_reader::text() {
  const auto size = number();
  if (!ok_ || size > in_.size()) {
    ok_ = false;
    return {};
  }
  const auto value = in_.substr(0, size);
  in_.remove_prefix(size);
  return value;
}

} // namespace qs::runtime::storage::compact
