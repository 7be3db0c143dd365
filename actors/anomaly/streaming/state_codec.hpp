// A detector's state as bytes: fixed-width little-endian-as-stored values
// appended by `state_writer` and read back, bounds-checked, by `state_reader`.
// States are read only by the build that wrote them (each starts with the
// detector's name and a version), so the layout is the machine's.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>

namespace qs::streaming {

class state_writer {
public:
  template<class T> void put(T value) {
    static_assert(std::is_trivially_copyable_v<T>);
    bytes_.append(reinterpret_cast<const char*>(&value), sizeof value);
  }
  void put_text(std::string_view text) {
    put(static_cast<std::uint32_t>(text.size()));
    bytes_.append(text);
  }
  const std::string& bytes() const { return bytes_; }
  std::string release() { return std::move(bytes_); }

private:
  std::string bytes_;
};

class state_reader {
public:
  explicit state_reader(std::string_view bytes) : bytes_(bytes) {}

  /// Reads one value; false (and nothing read) when too few bytes are left.
  template<class T> bool get(T& value) {
    static_assert(std::is_trivially_copyable_v<T>);
    if (bytes_.size() < sizeof value)
      return false;
    std::memcpy(&value, bytes_.data(), sizeof value);
    bytes_.remove_prefix(sizeof value);
    return true;
  }
  bool get_text(std::string& text) {
    std::uint32_t size = 0;
    if (!get(size) || bytes_.size() < size)
      return false;
    text.assign(bytes_.substr(0, size));
    bytes_.remove_prefix(size);
    return true;
  }
  bool done() const { return bytes_.empty(); }

private:
  std::string_view bytes_;
};

} // namespace qs::streaming
