// The CBOR subset of the cluster wire (protocol/cbor.hpp, cbor_json.hpp,
// cbor_codec.hpp): RFC 8949's own examples, exact round trips, and a bad input of
// every kind refused with its path and code.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <limits>

#include <boost/json.hpp>

#include "protocol/cbor.hpp"
#include "protocol/cbor_codec.hpp"
#include "protocol/cbor_json.hpp"

namespace json = boost::json;
namespace cbor = qs::protocol::cbor;
using qs::protocol::wire_errc;

namespace {

std::string hex(const std::string& bytes) {
  static const char digits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes)
    out += digits[c >> 4], out += digits[c & 15];
  return out;
}

std::string unhex(std::string_view h) {
  std::string out;
  for (std::size_t i = 0; i + 1 < h.size(); i += 2)
    out += static_cast<char>(std::stoi(std::string(h.substr(i, 2)), nullptr, 16));
  return out;
}

bool same_bits(double a, double b) {
  return std::memcmp(&a, &b, sizeof a) == 0;
}

// A record for these tests: every kind of field a codec has.
struct sample {
  std::string name;
  std::vector<std::int64_t> numbers;
  std::optional<double> weight;
  std::string blob; // bytes
  std::vector<sample> children;
  bool flag = false;
  std::uint16_t small = 0;
  std::string note; // optional on the wire
};

} // namespace

template<> struct qs::protocol::cbor::codec<sample> : record<codec<sample>> {
  template<class F, class S> static void fields(F& f, S& s) {
    f("name", s.name), f("numbers", s.numbers), f("weight", s.weight);
    f("blob", as_bytes(s.blob)), f("children", s.children), f("flag", s.flag);
    f("small", s.small), f.optional("note", s.note);
  }
};

namespace {

std::string error_of(std::string_view bytes, std::size_t depth = 64) {
  auto got = cbor::decode<sample>(bytes, "sample", depth);
  REQUIRE_FALSE(got);
  return got.error().message;
}

// An encoded sample with one field replaced by `value` (already CBOR), or dropped.
std::string with_field(const std::string& name, const std::string& value, bool drop = false) {
  sample s;
  s.name = "n";
  cbor::writer w;
  const char* names[] = {"name", "numbers", "weight", "blob", "children", "flag", "small"};
  w.map(drop ? 6 : 7);
  for (const char* field : names) {
    if (field == name && drop)
      continue;
    w.text(field);
    if (field == name)
      w.raw(value);
    else if (std::string(field) == "name")
      w.text("n");
    else if (std::string(field) == "numbers" || std::string(field) == "children")
      w.array(0);
    else if (std::string(field) == "weight")
      w.null();
    else if (std::string(field) == "blob")
      w.bytes("");
    else if (std::string(field) == "flag")
      w.boolean(false);
    else
      w.unsigned_int(0);
  }
  return w.release();
}

} // namespace

TEST_CASE("the writer gives RFC 8949's encodings, in the shortest form", "[cbor]") {
  const std::pair<std::int64_t, const char*> integers[] = {
      {0, "00"},
      {1, "01"},
      {10, "0a"},
      {23, "17"},
      {24, "1818"},
      {25, "1819"},
      {100, "1864"},
      {1000, "1903e8"},
      {1000000, "1a000f4240"},
      {1000000000000, "1b000000e8d4a51000"},
      {-1, "20"},
      {-10, "29"},
      {-100, "3863"},
      {-1000, "3903e7"},
      {std::numeric_limits<std::int64_t>::min(), "3b7fffffffffffffff"}};
  for (const auto& [n, expected] : integers) {
    cbor::writer w;
    w.integer(n);
    CHECK(hex(w.data()) == expected);
  }
  cbor::writer w;
  w.unsigned_int(std::numeric_limits<std::uint64_t>::max());
  w.float64(1.1).boolean(false).boolean(true).null().text("").text("a").bytes(unhex("01020304"));
  w.array(3).unsigned_int(1).unsigned_int(2).unsigned_int(3).map(0);
  CHECK(hex(w.data()) == "1bffffffffffffffff"
                         "fb3ff199999999999a"
                         "f4f5f6"
                         "60"
                         "6161"
                         "4401020304"
                         "83010203a0");
}

TEST_CASE("scalars read back exactly: integers at every width, doubles bit for bit, bytes as "
          "given",
          "[cbor]") {
  const std::int64_t integers[] = {0,
                                   23,
                                   24,
                                   255,
                                   256,
                                   65535,
                                   65536,
                                   4294967295,
                                   4294967296,
                                   -1,
                                   -24,
                                   -25,
                                   -256,
                                   -257,
                                   -4294967296,
                                   -4294967297,
                                   std::numeric_limits<std::int64_t>::max(),
                                   std::numeric_limits<std::int64_t>::min()};
  for (std::int64_t n : integers) {
    cbor::writer w;
    w.integer(n);
    cbor::reader r(w.data(), "n");
    std::int64_t back = 0;
    CHECK(r.integer(back));
    CHECK(back == n);
    CHECK(r.finish());
  }
  std::uint64_t nan_bits = 0x7ff8000000000123; // a NaN with a payload
  double payload_nan = 0;
  std::memcpy(&payload_nan, &nan_bits, sizeof payload_nan);
  const double doubles[] = {0.1,
                            1e-310, // subnormal
                            -0.0,
                            5e-324,
                            1.7976931348623157e308,
                            std::numeric_limits<double>::infinity(),
                            -std::numeric_limits<double>::infinity(),
                            std::numeric_limits<double>::quiet_NaN(),
                            payload_nan,
                            0.1 + 0.2};
  for (double d : doubles) {
    cbor::writer w;
    w.float64(d);
    REQUIRE(w.data().size() == 9);
    cbor::reader r(w.data(), "d");
    double back = 1;
    CHECK(r.float64(back));
    CHECK(same_bits(back, d));
  }
  const std::string odd("\xff\xfe\0 not \xc3 UTF-8", 15);
  cbor::writer w;
  w.text(odd).bytes(odd);
  cbor::reader r(w.data(), "s");
  std::string_view t, b;
  CHECK(r.text(t));
  CHECK(r.bytes(b));
  CHECK(t == odd);
  CHECK(b == odd);
  CHECK(r.finish());
}

TEST_CASE("a record round-trips field for field, and a newer peer's fields are ignored", "[cbor]") {
  sample s;
  s.name = std::string("n\0\xff", 3);
  s.numbers = {0, -1, std::numeric_limits<std::int64_t>::min(), 1 << 30};
  s.weight = 1e-310;
  s.blob = std::string("\0\x01\x02", 3);
  s.children.resize(2);
  s.children[1].name = "child";
  s.children[1].weight = std::numeric_limits<double>::quiet_NaN();
  s.flag = true;
  s.small = 65535;
  s.note = "kept";
  const std::string bytes = cbor::encode(s);
  auto back = cbor::decode<sample>(bytes, "sample");
  REQUIRE(back);
  CHECK(back->name == s.name);
  CHECK(back->numbers == s.numbers);
  CHECK(same_bits(*back->weight, 1e-310));
  CHECK(back->blob == s.blob);
  REQUIRE(back->children.size() == 2);
  CHECK(std::isnan(*back->children[1].weight));
  CHECK_FALSE(back->children[0].weight);
  CHECK(back->flag);
  CHECK(back->small == 65535);
  CHECK(back->note == "kept");
  CHECK(cbor::encode(*back) == bytes);

  // Extra keys anywhere, in any order: ignored, never named in an error.
  cbor::writer w;
  w.map(9).text("zz_new").array(2).text("x").map(0);
  for (const char* f : {"small", "flag", "children", "blob", "weight", "numbers", "name"}) {
    w.text(f);
    if (std::string(f) == "name")
      w.text("reordered");
    else if (std::string(f) == "numbers" || std::string(f) == "children")
      w.array(0);
    else if (std::string(f) == "weight")
      w.null();
    else if (std::string(f) == "blob")
      w.bytes("");
    else if (std::string(f) == "flag")
      w.boolean(false);
    else
      w.unsigned_int(7);
  }
  w.text("secret_new_field").text("x");
  auto tolerant = cbor::decode<sample>(w.data(), "sample");
  REQUIRE(tolerant);
  CHECK(tolerant->name == "reordered");
  CHECK(tolerant->small == 7);
  CHECK(tolerant->note.empty()); // optional: absent reads as its default
  // A later problem is still found, and the unknown key is not in its message.
  std::string bad = w.data();
  bad.pop_back(); // the last text string runs past the end
  auto refused = cbor::decode<sample>(bad, "sample");
  REQUIRE_FALSE(refused);
  CHECK(refused.error().message.find("secret_new_field") == std::string::npos);
}

TEST_CASE("a field of the wrong type, range or count is named with its path", "[cbor]") {
  CHECK(error_of(with_field("name", unhex("05"))) ==
        "sample.name: expected a text string, got an unsigned integer");
  CHECK(error_of(with_field("small", unhex("1a00010000"))) ==
        "sample.small: expected an integer from 0 to 65535, got 65536");
  CHECK(error_of(with_field("small", unhex("20"))) ==
        "sample.small: expected an integer from 0 to 65535, got -1");
  CHECK(error_of(with_field("weight", unhex("01"))) ==
        "sample.weight: expected a float64, got an unsigned integer");
  CHECK(error_of(with_field("blob", unhex("60"))) ==
        "sample.blob: expected a byte string, got a text string");
  CHECK(error_of(with_field("numbers", unhex("8201f6"))) ==
        "sample.numbers[1]: expected an integer from -9223372036854775808 to "
        "9223372036854775807, got null");
  CHECK(error_of(with_field("numbers", unhex("811bffffffffffffffff"))) ==
        "sample.numbers[0]: expected an integer from -9223372036854775808 to 9223372036854775807");
  CHECK(error_of(with_field("flag", unhex("f6"))) == "sample.flag: expected a boolean, got null");
  CHECK(error_of(with_field("flag", "", true)) == "sample.flag: is missing");
  // Deeper: a child's field.
  const std::string child = with_field("name", unhex("80"));
  CHECK(error_of(
            with_field("children", unhex("82") + with_field("name", unhex("61") + "x") + child)) ==
        "sample.children[1].name: expected a text string, got an array");
  CHECK(error_of(unhex("80")) == "sample: expected a map, got an array");
  // A known field twice.
  std::string twice = with_field("flag", unhex("f4"));
  twice[0] = static_cast<char>(0xa8);
  twice += unhex("64") + "flag" + unhex("f5");
  CHECK(error_of(twice) == "sample.flag: appears twice");
  auto e = cbor::decode<sample>(unhex("80"), "sample");
  REQUIRE_FALSE(e);
  CHECK(e.error() == wire_errc::bad_field);
}

TEST_CASE("bytes that are not CBOR of the subset are refused as malformed, with the byte",
          "[cbor]") {
  const std::pair<const char*, const char*> cases[] = {
      {"", "sample: the input ends where a value should start (at byte 0)"},
      {"1817", "sample: an argument is not in its shortest form (at byte 0)"},
      {"190017", "sample: an argument is not in its shortest form (at byte 0)"},
      {"1a0000ffff", "sample: an argument is not in its shortest form (at byte 0)"},
      {"1b00000000ffffffff", "sample: an argument is not in its shortest form (at byte 0)"},
      {"9f", "sample: indefinite lengths are not used (at byte 0)"},
      {"bf", "sample: indefinite lengths are not used (at byte 0)"},
      {"f93c00", "sample: half and single precision floats are not used: doubles are float64 "
                 "(at byte 0)"},
      {"fa3f800000", "sample: half and single precision floats are not used: doubles are "
                     "float64 (at byte 0)"},
      {"f7", "sample: simple value 23 is not used (at byte 0)"},
      {"f820", "sample: simple value 24 is not used (at byte 0)"},
      {"1c", "sample: reserved additional information 28 (at byte 0)"},
      {"fb3ff0", "sample: the input ends inside a float64 (at byte 0)"},
      {"19ff", "sample: the input ends inside a head (at byte 0)"},
      {"bb7fffffffffffffff",
       "sample: a length of 9223372036854775807 runs past the end (at byte 0)"},
      {"a1", "sample: a length of 1 runs past the end (at byte 0)"},
  };
  for (const auto& [input, expected] : cases) {
    INFO(input);
    auto got = cbor::decode<sample>(unhex(input), "sample");
    REQUIRE_FALSE(got);
    CHECK(got.error().message == expected);
    CHECK(got.error() == wire_errc::malformed);
  }
  // A string longer than what is left, inside a field: the path says where.
  CHECK(error_of(with_field("name", unhex("7a7fffffff") + "abc")) ==
        "sample.name: a string of 2147483647 bytes runs past the end (at byte 6)");
  // Trailing bytes after the message.
  const std::string whole = with_field("flag", unhex("f4"));
  CHECK(error_of(whole + "\x01") ==
        "sample: 1 byte after the end (at byte " + std::to_string(whole.size()) + ")");
}

TEST_CASE("nesting is bounded, in what is read and in what is skipped", "[cbor]") {
  std::string deep;
  for (int i = 0; i < 100; ++i)
    deep += unhex("81");
  deep += unhex("00");
  CHECK_FALSE(qs::protocol::json_from_cbor(deep, "doc", 64));
  CHECK(qs::protocol::json_from_cbor(deep, "doc", 101));
  auto too_deep = qs::protocol::json_from_cbor(deep, "doc", 64);
  CHECK(too_deep.error().message.rfind("doc[0][0]", 0) == 0);
  CHECK(too_deep.error().message.find("nested deeper than 64 levels") != std::string::npos);
  // An unknown field's value is skipped within the same bound, chains of tags too.
  std::string tags(100000, '\xc1');
  tags += unhex("00");
  cbor::reader r(tags, "t", 64);
  CHECK_FALSE(r.skip());
  CHECK(r.error().message.find("nested deeper than 64 levels") != std::string::npos);
  std::string skipped = with_field("flag", unhex("f4"));
  skipped[0] = static_cast<char>(0xa8);
  skipped += unhex("63") + "new" + deep;
  CHECK(error_of(skipped, 64).find("nested deeper than 64 levels") != std::string::npos);
}

TEST_CASE("a JSON document round-trips as Boost.JSON holds it: int64, uint64 and double kept "
          "apart",
          "[cbor][json]") {
  json::object doc;
  doc["int"] = std::int64_t{5};
  doc["small_uint"] = std::uint64_t{5};
  doc["big_uint"] = std::numeric_limits<std::uint64_t>::max();
  doc["double_one"] = 1.0;
  doc["negative"] = std::numeric_limits<std::int64_t>::min();
  doc["tiny"] = 1e-310;
  doc["nan"] = std::numeric_limits<double>::quiet_NaN();
  doc["inf"] = -std::numeric_limits<double>::infinity();
  doc["zero"] = -0.0;
  doc[std::string("k\xff\0", 3)] = std::string("v\xc3\0", 3);
  doc["nested"] = json::array({json::object{{"a", nullptr}}, true, false, json::array()});
  const std::string bytes = qs::protocol::json_to_cbor(doc);
  auto back = qs::protocol::json_from_cbor(bytes, "doc");
  REQUIRE(back);
  const auto& o = back->as_object();
  CHECK(o.at("int").is_int64());
  CHECK(o.at("small_uint").is_uint64());
  CHECK(o.at("small_uint").get_uint64() == 5);
  CHECK(o.at("big_uint").is_uint64());
  CHECK(o.at("double_one").is_double());
  CHECK(o.at("negative").get_int64() == std::numeric_limits<std::int64_t>::min());
  CHECK(same_bits(o.at("tiny").get_double(), 1e-310));
  CHECK(std::isnan(o.at("nan").get_double()));
  CHECK(same_bits(o.at("zero").get_double(), -0.0));
  CHECK(o.at(std::string("k\xff\0", 3)).as_string() == std::string("v\xc3\0", 3));
  CHECK(qs::protocol::json_to_cbor(*back) == bytes); // one encoding per value, order kept
}

TEST_CASE("what JSON cannot hold is refused inside a document, with its path", "[cbor][json]") {
  const std::pair<const char*, const char*> cases[] = {
      {"a1616182f643010203", "doc.a[1]: expected a JSON value, got a byte string"},
      {"a2616101616102", "doc.a: appears twice in its map"},
      {"a10101", "doc[0]: expected a text string as the key, got an unsigned integer"},
      {"a16161c001", "doc.a: tag 0 is not used in documents"},
      {"da717300011bffffffffffffffff",
       "doc: a tagged uint64 above INT64_MAX needs no tag (at byte 14)"},
  };
  for (const auto& [input, expected] : cases) {
    INFO(input);
    auto got = qs::protocol::json_from_cbor(unhex(input), "doc");
    REQUIRE_FALSE(got);
    CHECK(got.error().message == expected);
  }
}
