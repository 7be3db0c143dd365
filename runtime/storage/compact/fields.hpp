// Fields: several texts framed into one, so a record's parts are packed (packing.hpp)
// in one deflate stream and share its matches. Each field is its length as a
// LEB128 varint, then its bytes; integers are bare varints.
//
// Values only: any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace qs::runtime::storage::compact {

class field_writer {
public:
  field_writer& number(std::uint64_t value);
  field_writer& text(std::string_view value);
  std::string release() { return std::move(out_); }

private:
  std::string out_;
};

/// Reads what a field_writer wrote, in the same order; every read after the
/// first failure fails too, so a caller checks `ok()` once at the end.
class field_reader {
public:
  explicit field_reader(std::string_view in) : in_(in) {}
  std::uint64_t number();
  std::string_view text();
  bool ok() const { return ok_; }
  bool at_end() const { return in_.empty(); }

private:
  std::string_view in_;
  bool ok_ = true;
};

} // namespace qs::runtime::storage::compact
