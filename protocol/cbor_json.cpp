#include "protocol/cbor_json.hpp"

#include <algorithm>
#include <limits>

namespace qs::protocol {

namespace json = boost::json;

void write_json(cbor::writer& out, const json::object& o) {
  out.map(o.size());
  for (const auto& member : o) {
    out.text(std::string_view(member.key()));
    write_json(out, member.value());
  }
}

void write_json(cbor::writer& out, const json::value& v) {
  switch (v.kind()) {
  case json::kind::null:
    out.null();
    return;
  case json::kind::bool_:
    out.boolean(v.get_bool());
    return;
  case json::kind::int64:
    out.integer(v.get_int64());
    return;
  case json::kind::uint64:
    if (v.get_uint64() <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
      out.tag(uint64_tag);
    out.unsigned_int(v.get_uint64());
    return;
  case json::kind::double_:
    out.float64(v.get_double());
    return;
  case json::kind::string:
    out.text(std::string_view(v.get_string()));
    return;
  case json::kind::array:
    out.array(v.get_array().size());
    for (const auto& item : v.get_array())
      write_json(out, item);
    return;
  case json::kind::object:
    write_json(out, v.get_object());
    return;
  }
}

bool read_json(cbor::reader& in, json::object& out) {
  std::size_t n = 0;
  if (!in.map(n))
    return false;
  if (n > json::object::max_size()) { // Boost.JSON would throw
    in.fail("a map of " + std::to_string(n) + " pairs is too large for a document");
    in.leave();
    return false;
  }
  out.clear();
  out.reserve(std::min<std::size_t>(n, 1024)); // n is bounded by the input, not by memory
  for (std::size_t i = 0; i < n && in.ok(); ++i) {
    std::string_view key;
    if (in.peek() != cbor::kind::text) {
      in.push(i);
      in.expected("a text string as the key");
      in.pop();
      break;
    }
    in.text(key);
    in.push(key);
    json::value value;
    if (read_json(in, value) && !out.emplace(key, std::move(value)).second)
      in.fail("appears twice in its map");
    in.pop();
  }
  in.leave();
  return in.ok();
}

bool read_json(cbor::reader& in, json::value& out) {
  switch (in.peek()) {
  case cbor::kind::unsigned_int: {
    std::uint64_t n = 0;
    in.unsigned_int(n);
    if (n <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
      out = static_cast<std::int64_t>(n);
    else
      out = n;
    return true;
  }
  case cbor::kind::negative_int: {
    std::int64_t n = 0;
    if (!in.integer(n))
      return false;
    out = n;
    return true;
  }
  case cbor::kind::tag: {
    std::uint64_t number = 0;
    in.tag(number);
    std::uint64_t n = 0;
    if (number != uint64_tag) {
      in.fail("tag " + std::to_string(number) + " is not used in documents");
      return false;
    }
    if (!in.unsigned_int(n))
      return false;
    if (n > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      in.malformed("a tagged uint64 above INT64_MAX needs no tag");
      return false;
    }
    out = n;
    return true;
  }
  case cbor::kind::text: {
    std::string_view t;
    in.text(t);
    if (t.size() > json::string::max_size()) { // Boost.JSON would throw
      in.fail("a text string of " + std::to_string(t.size()) + " bytes is too long for a document");
      return false;
    }
    out = json::string(t);
    return true;
  }
  case cbor::kind::boolean: {
    bool b = false;
    in.boolean(b);
    out = b;
    return true;
  }
  case cbor::kind::null:
    in.null();
    out = nullptr;
    return true;
  case cbor::kind::float64: {
    double d = 0;
    in.float64(d);
    out = d;
    return true;
  }
  case cbor::kind::array: {
    std::size_t n = 0;
    if (!in.array(n))
      return false;
    if (n > json::array::max_size()) { // Boost.JSON would throw
      in.fail("an array of " + std::to_string(n) + " items is too large for a document");
      in.leave();
      return false;
    }
    auto& array = out.emplace_array();
    array.reserve(std::min<std::size_t>(n, 1024));
    for (std::size_t i = 0; i < n && in.ok(); ++i) {
      in.push(i);
      read_json(in, array.emplace_back(nullptr));
      in.pop();
    }
    in.leave();
    return in.ok();
  }
  case cbor::kind::map:
    return read_json(in, out.emplace_object());
  case cbor::kind::bytes:
    in.expected("a JSON value");
    return false;
  case cbor::kind::invalid:
    break;
  }
  in.expected("a JSON value"); // at the end: says so; after a failure: nothing
  return false;
}

std::string json_to_cbor(const json::value& v) {
  cbor::writer out;
  write_json(out, v);
  return out.release();
}

qs::expected<json::value> json_from_cbor(std::string_view bytes, std::string_view root,
                                         std::size_t max_depth) {
  cbor::reader in(bytes, root, max_depth);
  json::value out;
  if (!read_json(in, out) || !in.finish())
    return in.error();
  return out;
}

} // namespace qs::protocol
