#include "protocol/cbor.hpp"

#include <cstring>

#include "protocol/cbor_heads.hpp"

namespace qs::protocol::cbor {

using namespace heads;

// ---- reader: heads ----------------------------------------------------------

reader::reader(std::string_view input, std::string_view root, std::size_t max_depth)
    : in_(input), root_(root), max_depth_(max_depth) {}

bool reader::peek_head(head& h) {
  if (failed_)
    return false;
  if (at_ >= in_.size()) {
    malformed("the input ends where a value should start");
    return false;
  }
  const auto first = static_cast<std::uint8_t>(in_[at_]);
  h.major = first >> 5;
  h.info = first & 0x1f;
  h.size = 1;
  h.argument = h.info;
  if (h.major == major_simple) {
    if (h.info == float64_info) {
      if (in_.size() - at_ < 9) {
        malformed("the input ends inside a float64");
        return false;
      }
      h.size = 9;
      return true;
    }
    if (h.info == simple_false || h.info == simple_true || h.info == simple_null)
      return true;
    if (h.info == 25 || h.info == 26)
      malformed("half and single precision floats are not used: doubles are float64");
    else if (h.info == 31)
      malformed("indefinite lengths are not used");
    else
      malformed("simple value " + std::to_string(h.info) + " is not used");
    return false;
  }
  if (h.info < 24)
    return true;
  if (h.info > 27) {
    malformed(h.info == 31 ? "indefinite lengths are not used"
                           : "reserved additional information " + std::to_string(h.info));
    return false;
  }
  const std::size_t bytes = std::size_t{1} << (h.info - 24);
  if (in_.size() - at_ - 1 < bytes) {
    malformed("the input ends inside a head");
    return false;
  }
  std::uint64_t argument = 0;
  for (std::size_t i = 0; i < bytes; ++i)
    argument = (argument << 8) | static_cast<std::uint8_t>(in_[at_ + 1 + i]);
  const std::uint64_t smallest = bytes == 1 ? 24 : std::uint64_t{1} << (8 * bytes / 2);
  if (argument < smallest) {
    malformed("an argument is not in its shortest form");
    return false;
  }
  h.argument = argument;
  h.size = 1 + bytes;
  return true;
}

kind reader::peek() {
  head h;
  // Nothing at the end (the read that follows says so); a bad head is recorded.
  if (failed_ || at_ >= in_.size() || !peek_head(h))
    return kind::invalid;
  switch (h.major) {
  case major_unsigned:
    return kind::unsigned_int;
  case major_negative:
    return kind::negative_int;
  case major_bytes:
    return kind::bytes;
  case major_text:
    return kind::text;
  case major_array:
    return kind::array;
  case major_map:
    return kind::map;
  case major_tag:
    return kind::tag;
  default:
    return h.info == float64_info  ? kind::float64
           : h.info == simple_null ? kind::null
                                   : kind::boolean;
  }
}

bool reader::take(std::uint8_t major, std::string_view description, head& h) {
  if (!peek_head(h))
    return false;
  if (h.major != major) {
    expected(description);
    return false;
  }
  at_ += h.size;
  return true;
}

// ---- reader: scalars --------------------------------------------------------

bool reader::unsigned_int(std::uint64_t& n) {
  head h;
  if (!take(major_unsigned, "an unsigned integer", h))
    return false;
  n = h.argument;
  return true;
}

bool reader::integer(std::int64_t& n, std::int64_t low, std::int64_t high) {
  head h;
  const auto range = [&] {
    return "an integer from " + std::to_string(low) + " to " + std::to_string(high);
  };
  if (!peek_head(h))
    return false;
  if (h.major != major_unsigned && h.major != major_negative) {
    expected(range());
    return false;
  }
  // A negative integer is -1 - argument; both fit in int64 when argument <= INT64_MAX.
  if (h.argument > static_cast<std::uint64_t>(INT64_MAX)) {
    fail("expected " + range());
    return false;
  }
  const auto value = h.major == major_unsigned ? static_cast<std::int64_t>(h.argument)
                                               : -1 - static_cast<std::int64_t>(h.argument);
  if (value < low || value > high) {
    fail("expected " + range() + ", got " + std::to_string(value));
    return false;
  }
  at_ += h.size;
  n = value;
  return true;
}

bool reader::string_of(std::uint8_t major, std::string_view description, std::string_view& out) {
  head h;
  if (!peek_head(h))
    return false;
  if (h.major != major) {
    expected(description);
    return false;
  }
  if (h.argument > in_.size() - at_ - h.size) {
    malformed("a string of " + std::to_string(h.argument) + " bytes runs past the end");
    return false;
  }
  out = in_.substr(at_ + h.size, static_cast<std::size_t>(h.argument));
  at_ += h.size + static_cast<std::size_t>(h.argument);
  return true;
}

bool reader::text(std::string_view& t) {
  return string_of(major_text, "a text string", t);
}

bool reader::bytes(std::string_view& b) {
  return string_of(major_bytes, "a byte string", b);
}

bool reader::boolean(bool& b) {
  head h;
  if (!peek_head(h))
    return false;
  if (h.major != major_simple || (h.info != simple_false && h.info != simple_true)) {
    expected("a boolean");
    return false;
  }
  at_ += h.size;
  b = h.info == simple_true;
  return true;
}

bool reader::float64(double& d) {
  head h;
  if (!peek_head(h))
    return false;
  if (h.major != major_simple || h.info != float64_info) {
    expected("a float64");
    return false;
  }
  std::uint64_t bits = 0;
  for (std::size_t i = 1; i < 9; ++i)
    bits = (bits << 8) | static_cast<std::uint8_t>(in_[at_ + i]);
  std::memcpy(&d, &bits, sizeof d);
  at_ += h.size;
  return true;
}

bool reader::null() {
  if (failed_ || at_ >= in_.size())
    return false;
  if (static_cast<std::uint8_t>(in_[at_]) != ((major_simple << 5) | simple_null))
    return false;
  ++at_;
  return true;
}

bool reader::tag(std::uint64_t& number) {
  head h;
  if (!take(major_tag, "a tag", h))
    return false;
  number = h.argument;
  return true;
}

// ---- reader: containers -----------------------------------------------------

bool reader::enter(std::uint8_t major, std::string_view description, std::uint64_t per_item,
                   std::size_t& n) {
  head h;
  if (!peek_head(h))
    return false;
  if (h.major != major) {
    expected(description);
    return false;
  }
  // Every item takes a byte at least: a longer list cannot be in the input.
  if (h.argument > (in_.size() - at_ - h.size) / per_item) {
    malformed("a length of " + std::to_string(h.argument) + " runs past the end");
    return false;
  }
  if (depth_ >= max_depth_) {
    malformed("nested deeper than " + std::to_string(max_depth_) + " levels");
    return false;
  }
  ++depth_;
  at_ += h.size;
  n = static_cast<std::size_t>(h.argument);
  return true;
}

bool reader::array(std::size_t& n) {
  return enter(major_array, "an array", 1, n);
}

bool reader::map(std::size_t& n) {
  return enter(major_map, "a map", 2, n);
}

void reader::leave() {
  if (depth_ > 0)
    --depth_;
}

bool reader::skip_item(std::size_t depth) {
  head h;
  if (!peek_head(h))
    return false;
  if (depth + depth_ >= max_depth_ &&
      (h.major == major_array || h.major == major_map || h.major == major_tag)) {
    malformed("nested deeper than " + std::to_string(max_depth_) + " levels");
    return false;
  }
  switch (h.major) {
  case major_bytes:
  case major_text: {
    std::string_view ignored;
    return string_of(h.major, "", ignored);
  }
  case major_array:
  case major_map: {
    const std::uint64_t per_item = h.major == major_map ? 2 : 1;
    if (h.argument > (in_.size() - at_ - h.size) / per_item) {
      malformed("a length of " + std::to_string(h.argument) + " runs past the end");
      return false;
    }
    at_ += h.size;
    for (std::uint64_t i = 0; i < h.argument * per_item; ++i)
      if (!skip_item(depth + 1))
        return false;
    return true;
  }
  case major_tag:
    at_ += h.size;
    return skip_item(depth + 1); // a tag nests like a container: chains are bounded too
  default:
    at_ += h.size;
    return true;
  }
}

bool reader::skip() {
  return skip_item(0);
}

bool reader::raw(std::string_view& item) {
  const std::size_t start = at_;
  if (!skip_item(0))
    return false;
  item = in_.substr(start, at_ - start);
  return true;
}

bool reader::finish() {
  if (failed_)
    return false;
  if (at_ != in_.size()) {
    path_.clear();
    const std::size_t extra = in_.size() - at_;
    malformed(std::to_string(extra) + (extra == 1 ? " byte" : " bytes") + " after the end");
    return false;
  }
  return true;
}

// ---- reader: paths and errors -----------------------------------------------

void reader::push(std::string_view key) {
  path_.push_back({key, 0, false});
}

void reader::push(std::size_t index) {
  path_.push_back({{}, index, true});
}

void reader::pop() {
  if (!path_.empty())
    path_.pop_back();
}

void reader::record(wire_errc code, std::string_view problem) {
  if (failed_)
    return;
  failed_ = true;
  std::string where(root_);
  for (const segment& s : path_) {
    if (s.is_index)
      where += "[" + std::to_string(s.index) + "]";
    else
      where.append(where.empty() ? "" : ".").append(s.key);
  }
  std::string message = where.empty() ? std::string(problem) : where + ": " + std::string(problem);
  if (code == wire_errc::malformed)
    message += " (at byte " + std::to_string(at_) + ")";
  error_ = qs::error(code, std::move(message));
}

void reader::fail(std::string_view problem) {
  record(wire_errc::bad_field, problem);
}

void reader::malformed(std::string_view problem) {
  record(wire_errc::malformed, problem);
}

void reader::expected(std::string_view description) {
  if (failed_)
    return;
  const kind got = peek();
  if (failed_)
    return; // the next item is malformed: that is the problem
  if (got == kind::invalid)
    return malformed("the input ends where " + std::string(description) + " should be");
  fail("expected " + std::string(description) + ", got " + describe(got));
}

} // namespace qs::protocol::cbor
