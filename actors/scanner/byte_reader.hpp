// A bounds-checked cursor over bytes, for the scanner's parsers of what servers
// send (TLS handshake messages, SSH packets). Reading past the end never
// reads: it marks the cursor failed and returns zeros or an empty view.
#pragma once

#include <cstdint>
#include <string_view>

namespace qs::scanner {

class byte_reader {
public:
  explicit byte_reader(std::string_view data) : data_(data) {}

  std::uint8_t u8() { return static_cast<std::uint8_t>(take(1).empty() ? 0 : data_[at_ - 1]); }
  std::uint16_t u16() { return static_cast<std::uint16_t>(number(2)); }
  std::uint32_t u24() { return static_cast<std::uint32_t>(number(3)); }
  std::uint32_t u32() { return static_cast<std::uint32_t>(number(4)); }

  /// `n` bytes, or an empty view (and failed) when fewer are left.
  std::string_view take(std::size_t n) {
    if (failed_ || n > data_.size() - at_) {
      failed_ = true;
      return {};
    }
    auto out = data_.substr(at_, n);
    at_ += n;
    return out;
  }
  /// A vector with a big-endian length of `width` bytes (1 to 4) in front.
  std::string_view vector(int width) { return take(number(width)); }

  std::size_t left() const { return failed_ ? 0 : data_.size() - at_; }
  bool failed() const { return failed_; }
  bool done() const { return !failed_ && at_ == data_.size(); }

private:
  std::size_t number(int width) {
    const auto bytes = take(static_cast<std::size_t>(width));
    std::size_t v = 0;
    for (char c : bytes)
      v = v << 8 | static_cast<std::uint8_t>(c);
    return v;
  }

  std::string_view data_;
  std::size_t at_ = 0;
  bool failed_ = false;
};

} // namespace qs::scanner
