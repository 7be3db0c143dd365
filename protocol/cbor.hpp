// A small, strict subset of CBOR (RFC 8949): the encoding of the cluster wire's bodies
// (docs/protocol.md). It carries bytes without escaping them and doubles bit for bit.
//
// The subset, in both directions:
//   - unsigned and negative integers (major types 0 and 1), 64 bits;
//   - byte strings and text strings (2, 3); a text string carries its bytes as given
//     (the project keeps asset ids and documents that are not UTF-8), never checked;
//   - arrays and maps (4, 5) of definite length; map keys are text strings;
//   - false, true, null; float64 (a double's 8 bytes, NaN payloads and infinities
//     included); no half or single floats, no undefined, no other simple values;
//   - tags (6) are read only where a codec asks for one (`reader::tag`), see
//     cbor_json.hpp.
// Every head uses the shortest form of its argument (RFC 8949 §4.2.1, "preferred
// serialization"); the reader refuses any other, so each value has one encoding.
//
// `writer` appends to a string; the caller writes a container's length before its
// items. `reader` never throws: the first problem is kept with the path of the value
// being read ("task.payload.results[3].asset_id: expected a text string, got an
// array"), and every later read fails at once without moving. Lengths are checked
// against the bytes left before anything is allocated, and containers nest at most
// `max_depth` deep, so a hostile input costs at most its own size.
//
// Values only: one writer or reader per message, on one thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/wire_errc.hpp"

namespace qs::protocol::cbor {

/// What the next item is (`reader::peek`); `invalid` at the end or after a failure.
enum class kind {
  unsigned_int,
  negative_int,
  bytes,
  text,
  array,
  map,
  tag,
  boolean,
  null,
  float64,
  invalid,
};

/// "an unsigned integer", "a text string", ...: for error messages.
const char* describe(kind k);

class writer {
public:
  writer& unsigned_int(std::uint64_t n);
  /// Major type 0 for n >= 0, else 1.
  writer& integer(std::int64_t n);
  writer& bytes(std::string_view b);
  writer& text(std::string_view t);
  /// The head of an array of `n` items; the caller writes the items next.
  writer& array(std::size_t n);
  /// The head of a map of `n` pairs; the caller writes key, value, key, value...
  writer& map(std::size_t n);
  writer& tag(std::uint64_t number);
  writer& boolean(bool b);
  writer& null();
  writer& float64(double d);
  /// An item already encoded (one whole item, as `reader::raw` returns).
  writer& raw(std::string_view item);

  void reserve(std::size_t n) { out_.reserve(n); }
  const std::string& data() const { return out_; }
  std::string release() { return std::move(out_); }

private:
  void head(std::uint8_t major, std::uint64_t argument);
  std::string out_;
};

class reader {
public:
  /// `root` names the whole input in errors ("task", "job"); it must outlive the
  /// reader, as must `input`.
  explicit reader(std::string_view input, std::string_view root, std::size_t max_depth = 64);

  // ---- State ----------------------------------------------------------------
  bool ok() const { return !failed_; }
  /// The first problem (@pre !ok()): bad_field for a well-formed value of the wrong
  /// type or range, malformed for bytes that are not CBOR of this subset.
  const qs::error& error() const { return error_; }
  /// True once every byte was read.
  bool at_end() const { return at_ == in_.size(); }
  std::size_t position() const { return at_; }

  /// The next item's kind without reading it.
  kind peek();

  // ---- Scalars: each reads one item of its kind, or fails -----------------------
  bool unsigned_int(std::uint64_t& n);
  /// An unsigned or negative integer that fits in [low, high].
  bool integer(std::int64_t& n, std::int64_t low = INT64_MIN, std::int64_t high = INT64_MAX);
  /// A text string, as a view into the input.
  bool text(std::string_view& t);
  bool bytes(std::string_view& b);
  bool boolean(bool& b);
  bool float64(double& d);
  /// Reads a null when one comes next; false (and nothing read) otherwise.
  bool null();
  /// A tag's number; the tagged item comes next.
  bool tag(std::uint64_t& number);

  // ---- Containers -------------------------------------------------------------
  /// Enters an array and gives its length; call `leave` after its items.
  bool array(std::size_t& n);
  /// Enters a map and gives its number of pairs; call `leave` after them.
  bool map(std::size_t& n);
  void leave();

  /// Skips one item, whatever it is (well-formed, within the depth bound).
  bool skip();
  /// Skips one item and gives its bytes (to hand on, as a TASK's payload).
  bool raw(std::string_view& item);

  // ---- Paths and errors -----------------------------------------------------
  /// The value read next is member `key` / element `index` of the current one.
  void push(std::string_view key);
  void push(std::size_t index);
  void pop();

  /// Records `problem` at the current path as a bad field (first problem wins).
  void fail(std::string_view problem);
  /// Records that the bytes are not CBOR of this subset (first problem wins).
  void malformed(std::string_view problem);
  /// Fails with "expected DESCRIPTION, got KIND" for the next item.
  void expected(std::string_view description);

  /// Fails unless every byte was read ("N bytes after the end").
  bool finish();

private:
  struct head {
    std::uint8_t major = 0;
    std::uint8_t info = 0;
    std::uint64_t argument = 0;
    std::size_t size = 0; ///< bytes of the head itself
  };
  struct segment {
    std::string_view key;
    std::size_t index = 0;
    bool is_index = false;
  };

  bool peek_head(head& h);
  bool take(std::uint8_t major, std::string_view description, head& h);
  bool string_of(std::uint8_t major, std::string_view description, std::string_view& out);
  bool enter(std::uint8_t major, std::string_view description, std::uint64_t per_item,
             std::size_t& n);
  bool skip_item(std::size_t depth);
  void record(wire_errc code, std::string_view problem);

  std::string_view in_;
  std::string_view root_;
  std::size_t at_ = 0;
  std::size_t depth_ = 0;
  std::size_t max_depth_;
  std::vector<segment> path_;
  bool failed_ = false;
  qs::error error_;
};

} // namespace qs::protocol::cbor
