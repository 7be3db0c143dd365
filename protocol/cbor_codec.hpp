// Field-by-field CBOR codecs for the wire's messages: a record is a map from field
// names to values, described once for both directions:
//
//   template<> struct codec<hello> : record<codec<hello>> {
//     template<class F, class H> static void fields(F& f, H& h) {
//       f("node_id", h.node_id), f("roles", h.roles), f("capacity", h.capacity);
//       f.optional("address", h.address); // may be absent: read as its default
//     }
//   };
//
// Writing gives a map of every field in that order (an optional std::optional field
// without a value is left out, as a peer without it would write it). Reading takes the fields in
// any order, ignores keys it does not know (a newer peer's fields; they never appear in errors),
// refuses a known key twice, and names the first bad or missing field with its path
// ("hello.capacity: expected an integer from 0 to 2147483647, got -1"). Adding a field: describe it
// with `f.optional(...)`, so that a peer that does not send it still decodes (docs/protocol.md,
// "Versioning").
//
// Values: std::string is a text string, `as_bytes(s)` a byte string (an HTTP body,
// stored JSON text: opaque bytes), integers are range-checked, double is a float64,
// std::optional is the value or null, std::vector an array, boost::json values are
// documents (cbor_json.hpp). An enum has a `codec` of its own (`write_code`, `read_code`).
//
// Header only; pure; any thread.
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "protocol/cbor.hpp"
#include "protocol/cbor_json.hpp"

namespace qs::protocol::cbor {

/// How a `T` is written and read: `static void write(writer&, const T&)` and
/// `static bool read(reader&, T&)`.
template<class T, class = void> struct codec;

/// A string member that travels as a byte string.
template<class S> struct bytes_of { S& value; };
template<class S> bytes_of<S> as_bytes(S& s) {
  return {s};
}

template<class S> struct codec<bytes_of<S>> {
  static void write(writer& w, const bytes_of<S>& b) { w.bytes(b.value); }
  static bool read(reader& r, const bytes_of<S>& b) {
    std::string_view v;
    if (!r.bytes(v))
      return false;
    b.value.assign(v.data(), v.size());
    return true;
  }
};

/// A string member that holds one whole CBOR item, already encoded, written in place
/// (a TASK's payload): the item nests in the message, it is not a string in it. An
/// empty one is written as null.
template<class S> struct item_of { S& value; };
template<class S> item_of<S> as_item(S& s) {
  return {s};
}

template<class S> struct codec<item_of<S>> {
  static void write(writer& w, const item_of<S>& i) {
    if (i.value.empty())
      w.null();
    else
      w.raw(i.value);
  }
  static bool read(reader& r, const item_of<S>& i) {
    std::string_view v;
    if (!r.raw(v))
      return false;
    i.value.assign(v.data(), v.size());
    return true;
  }
};

template<> struct codec<std::string> {
  static void write(writer& w, const std::string& s) { w.text(s); }
  static bool read(reader& r, std::string& s) {
    std::string_view v;
    if (!r.text(v))
      return false;
    s.assign(v.data(), v.size());
    return true;
  }
};

template<> struct codec<bool> {
  static void write(writer& w, bool b) { w.boolean(b); }
  static bool read(reader& r, bool& b) { return r.boolean(b); }
};

template<> struct codec<double> {
  static void write(writer& w, double d) { w.float64(d); }
  static bool read(reader& r, double& d) { return r.float64(d); }
};

/// Signed and unsigned integers up to 64 bits, range-checked on reading.
template<class I>
struct codec<I, std::enable_if_t<std::is_integral_v<I> && !std::is_same_v<I, bool>>> {
  static void write(writer& w, I i) {
    if constexpr (std::is_signed_v<I>)
      w.integer(i);
    else
      w.unsigned_int(i);
  }
  static bool read(reader& r, I& i) {
    if constexpr (std::is_same_v<I, std::uint64_t>) {
      return r.unsigned_int(i);
    } else {
      std::int64_t n = 0;
      if (!r.integer(n, static_cast<std::int64_t>(std::numeric_limits<I>::min()),
                     static_cast<std::int64_t>(std::numeric_limits<I>::max())))
        return false;
      i = static_cast<I>(n);
      return true;
    }
  }
};

template<class T> struct codec<std::optional<T>> {
  static void write(writer& w, const std::optional<T>& o) {
    if (o)
      codec<T>::write(w, *o);
    else
      w.null();
  }
  static bool read(reader& r, std::optional<T>& o) {
    if (r.null()) {
      o.reset();
      return true;
    }
    return codec<T>::read(r, o.emplace());
  }
};

template<class T> struct codec<std::vector<T>> {
  static void write(writer& w, const std::vector<T>& list) {
    w.array(list.size());
    for (const auto& item : list)
      codec<T>::write(w, item);
  }
  static bool read(reader& r, std::vector<T>& list) {
    std::size_t n = 0;
    if (!r.array(n))
      return false;
    list.clear();
    list.reserve(std::min<std::size_t>(n, 1024)); // n is bounded by the input, not by memory
    for (std::size_t i = 0; i < n && r.ok(); ++i) {
      r.push(i);
      codec<T>::read(r, list.emplace_back());
      r.pop();
    }
    r.leave();
    return r.ok();
  }
};

template<> struct codec<boost::json::object> {
  static void write(writer& w, const boost::json::object& o) { write_json(w, o); }
  static bool read(reader& r, boost::json::object& o) { return read_json(r, o); }
};

template<> struct codec<boost::json::value> {
  static void write(writer& w, const boost::json::value& v) { write_json(w, v); }
  static bool read(reader& r, boost::json::value& v) { return read_json(r, v); }
};

/// An enum as an unsigned code: `codes` lists every value once with its code on the
/// wire. For an enum's `codec`:
///   static void write(writer& w, role r) { write_code(w, r, role_codes); }
///   static bool read(reader& r, role& x) { return read_code(r, x, role_codes); }
template<class E, std::size_t N>
void write_code(writer& w, E e, const std::pair<E, std::uint8_t> (&codes)[N]) {
  for (const auto& [value, code] : codes)
    if (value == e)
      return void(w.unsigned_int(code));
  w.unsigned_int(0xff); // not in the table (a bug): the reader refuses it
}

template<class E, std::size_t N>
bool read_code(reader& r, E& e, const std::pair<E, std::uint8_t> (&codes)[N]) {
  std::uint64_t number = 0;
  if (!r.unsigned_int(number))
    return false;
  for (const auto& [value, code] : codes)
    if (code == number)
      return e = value, true;
  r.fail("unknown code " + std::to_string(number));
  return false;
}

// ---- Records ----------------------------------------------------------------

namespace detail {

/// An optional field left out of the encoding: a std::optional without a value (so
/// that a record without it is written as it would be read: the same bytes).
template<class T> bool left_out(const T&) {
  return false;
}
template<class T> bool left_out(const std::optional<T>& o) {
  return !o.has_value();
}

struct field_counter {
  std::size_t n = 0;
  template<class T> void operator()(std::string_view, T&&) { ++n; }
  template<class T> void optional(std::string_view, T&& member) { n += !left_out(member); }
};

struct field_writer {
  writer& w;
  template<class T> void operator()(std::string_view name, T&& member) {
    w.text(name);
    codec<std::remove_const_t<std::remove_reference_t<T>>>::write(w, member);
  }
  template<class T> void optional(std::string_view name, T&& member) {
    if (!left_out(member))
      (*this)(name, std::forward<T>(member));
  }
};

/// Reads the value of `key` into the field of that name, if there is one.
struct field_reader {
  reader& r;
  std::string_view key;
  std::size_t ordinal = 0;
  std::size_t matched = SIZE_MAX;
  template<class T> void operator()(std::string_view name, T&& member) {
    if (matched == SIZE_MAX && name == key) {
      matched = ordinal;
      r.push(name);
      codec<std::remove_reference_t<T>>::read(r, member);
      r.pop();
    }
    ++ordinal;
  }
  template<class T> void optional(std::string_view name, T&& member) {
    (*this)(name, std::forward<T>(member));
  }
};

/// Names the first required field that was not there.
struct missing_fields {
  reader& r;
  std::uint64_t seen;
  std::size_t ordinal = 0;
  template<class T> void operator()(std::string_view name, T&&) {
    if (r.ok() && !(seen & (std::uint64_t{1} << ordinal))) {
      r.push(name);
      r.fail("is missing");
      r.pop();
    }
    ++ordinal;
  }
  template<class T> void optional(std::string_view, T&&) { ++ordinal; }
};

} // namespace detail

/// A map of named fields; `Derived::fields(f, x)` lists them (at most 64: the reader
/// keeps one bit per field).
template<class Derived> struct record {
  template<class T> static void write(writer& w, const T& x) {
    detail::field_counter count;
    Derived::fields(count, x);
    w.map(count.n);
    detail::field_writer out{w};
    Derived::fields(out, x);
  }
  template<class T> static bool read(reader& r, T& x) {
    detail::field_counter count;
    Derived::fields(count, x);
    if (count.n > 64) { // a codec bug, not an input's
      r.fail("a record of more than 64 fields cannot be read");
      return false;
    }
    std::size_t n = 0;
    if (!r.map(n))
      return false;
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < n && r.ok(); ++i) {
      std::string_view key;
      if (r.peek() != kind::text) {
        r.expected("a text string as a field name");
        break;
      }
      r.text(key);
      detail::field_reader one{r, key};
      Derived::fields(one, x);
      if (one.matched == SIZE_MAX) {
        r.skip(); // a field this node does not know
      } else if (seen & (std::uint64_t{1} << one.matched)) {
        r.push(key);
        r.fail("appears twice");
        r.pop();
      } else {
        seen |= std::uint64_t{1} << one.matched;
      }
    }
    detail::missing_fields check{r, seen};
    Derived::fields(check, x);
    r.leave();
    return r.ok();
  }
};

// ---- Whole messages ---------------------------------------------------------

template<class T> std::string encode(const T& x, std::size_t size_hint = 64) {
  writer w;
  w.reserve(size_hint);
  codec<T>::write(w, x);
  return w.release();
}

/// Decodes all of `bytes` as one `T`; errors name `root` and the field's path.
template<class T>
qs::expected<T> decode(std::string_view bytes, std::string_view root, std::size_t max_depth = 64) {
  reader r(bytes, root, max_depth);
  T x{};
  codec<T>::read(r, x);
  if (!r.finish())
    return r.error();
  return x;
}

} // namespace qs::protocol::cbor
