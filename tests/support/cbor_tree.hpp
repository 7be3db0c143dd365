// TESTS ONLY: any CBOR item of the wire's subset as an editable tree, to make a valid
// message invalid in one place and see the decoder name that place:
//
//   auto job = cbor_tree::parse(wire::encode_job(work));
//   job.at("results").at(3) = cbor_tree::unsigned_int(5);
//   wire::decode_job(job.encode());   // "job.results[3]: expected a map, got ..."
//
// Maps keep their order; `erase` drops a field. Header only.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "protocol/cbor.hpp"

namespace qs::test {

struct cbor_tree {
  protocol::cbor::kind kind = protocol::cbor::kind::null;
  std::uint64_t number = 0; ///< unsigned value, or the argument n of -1 - n, or a tag
  double real = 0;
  bool flag = false;
  std::string bytes; ///< text or byte string
  std::vector<cbor_tree> items;
  std::vector<std::pair<std::string, cbor_tree>> fields;

  static cbor_tree unsigned_int(std::uint64_t n) {
    cbor_tree t;
    t.kind = protocol::cbor::kind::unsigned_int;
    t.number = n;
    return t;
  }
  static cbor_tree negative(std::int64_t n) { // n < 0
    cbor_tree t;
    t.kind = protocol::cbor::kind::negative_int;
    t.number = static_cast<std::uint64_t>(-1 - n);
    return t;
  }
  static cbor_tree text(std::string s) {
    cbor_tree t;
    t.kind = protocol::cbor::kind::text;
    t.bytes = std::move(s);
    return t;
  }
  static cbor_tree boolean(bool b) {
    cbor_tree t;
    t.kind = protocol::cbor::kind::boolean;
    t.flag = b;
    return t;
  }
  static cbor_tree float64(double d) {
    cbor_tree t;
    t.kind = protocol::cbor::kind::float64;
    t.real = d;
    return t;
  }
  static cbor_tree null() { return {}; }
  static cbor_tree array() {
    cbor_tree t;
    t.kind = protocol::cbor::kind::array;
    return t;
  }
  static cbor_tree map() {
    cbor_tree t;
    t.kind = protocol::cbor::kind::map;
    return t;
  }

  cbor_tree& at(const std::string& key) {
    for (auto& [name, value] : fields)
      if (name == key)
        return value;
    throw std::out_of_range("no field " + key);
  }
  cbor_tree& at(std::size_t index) { return items.at(index); }
  void erase(const std::string& key) {
    for (auto it = fields.begin(); it != fields.end(); ++it)
      if (it->first == key)
        return void(fields.erase(it));
    throw std::out_of_range("no field " + key);
  }
  cbor_tree& set(const std::string& key, cbor_tree value) {
    fields.emplace_back(key, std::move(value));
    return *this;
  }

  static cbor_tree parse(std::string_view bytes) {
    protocol::cbor::reader r(bytes, "tree", 2000);
    cbor_tree t = read(r);
    if (!r.finish())
      throw std::invalid_argument(r.error().message);
    return t;
  }

  std::string encode() const {
    protocol::cbor::writer w;
    write(w);
    return w.release();
  }

private:
  static cbor_tree read(protocol::cbor::reader& r) {
    using K = protocol::cbor::kind;
    cbor_tree t;
    t.kind = r.peek();
    switch (t.kind) {
    case K::unsigned_int:
      r.unsigned_int(t.number);
      break;
    case K::negative_int: {
      std::int64_t n = 0;
      r.integer(n);
      t.number = static_cast<std::uint64_t>(-1 - n);
      break;
    }
    case K::bytes:
    case K::text: {
      std::string_view s;
      t.kind == K::text ? r.text(s) : r.bytes(s);
      t.bytes = std::string(s);
      break;
    }
    case K::array: {
      std::size_t n = 0;
      r.array(n);
      for (std::size_t i = 0; i < n && r.ok(); ++i)
        t.items.push_back(read(r));
      r.leave();
      break;
    }
    case K::map: {
      std::size_t n = 0;
      r.map(n);
      for (std::size_t i = 0; i < n && r.ok(); ++i) {
        std::string_view key;
        r.text(key);
        t.fields.emplace_back(std::string(key), read(r));
      }
      r.leave();
      break;
    }
    case K::tag: {
      r.tag(t.number);
      t.items.push_back(read(r));
      break;
    }
    case K::boolean:
      r.boolean(t.flag);
      break;
    case K::null:
      r.null();
      break;
    case K::float64:
      r.float64(t.real);
      break;
    case K::invalid:
      throw std::invalid_argument(r.ok() ? "nothing to read" : r.error().message);
    }
    return t;
  }

  void write(protocol::cbor::writer& w) const {
    using K = protocol::cbor::kind;
    switch (this->kind) {
    case K::unsigned_int:
      w.unsigned_int(number);
      break;
    case K::negative_int:
      w.integer(-1 - static_cast<std::int64_t>(number));
      break;
    case K::bytes:
      w.bytes(bytes);
      break;
    case K::text:
      w.text(bytes);
      break;
    case K::array:
      w.array(items.size());
      for (const auto& item : items)
        item.write(w);
      break;
    case K::map:
      w.map(fields.size());
      for (const auto& [key, value] : fields) {
        w.text(key);
        value.write(w);
      }
      break;
    case K::tag:
      w.tag(number);
      items.front().write(w);
      break;
    case K::boolean:
      w.boolean(flag);
      break;
    case K::null:
    case K::invalid:
      w.null();
      break;
    case K::float64:
      w.float64(real);
      break;
    }
  }
};

} // namespace qs::test
