#include "actors/cluster/exact_json.hpp"

#include <charconv>
#include <cstdint>

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/value_stack.hpp>

namespace qs::actors::wire {

namespace json = boost::json;

namespace {

// ---- Parsing ---------------------------------------------------------------
// Boost.JSON's own value builder, except that doubles are re-read from their
// text with std::from_chars: Boost 1.81 parses doubles fast but not correctly
// rounded (about one shortest form in five came back one ulp off). The whole
// text is parsed in one write, so a number is split (on_number_part) only when
// it ends the text, which no object or array does.

struct exact_handler {
  static constexpr std::size_t max_object_size = json::object::max_size();
  static constexpr std::size_t max_array_size = json::array::max_size();
  static constexpr std::size_t max_key_size = json::string::max_size();
  static constexpr std::size_t max_string_size = json::string::max_size();

  json::value_stack st;

  using ec_t = json::error_code;
  using sv = json::string_view;
  bool on_document_begin(ec_t&) { return true; }
  bool on_document_end(ec_t&) { return true; }
  bool on_object_begin(ec_t&) { return true; }
  bool on_object_end(std::size_t n, ec_t&) { return st.push_object(n), true; }
  bool on_array_begin(ec_t&) { return true; }
  bool on_array_end(std::size_t n, ec_t&) { return st.push_array(n), true; }
  bool on_key_part(sv s, std::size_t, ec_t&) { return st.push_chars(s), true; }
  bool on_key(sv s, std::size_t, ec_t&) { return st.push_key(s), true; }
  bool on_string_part(sv s, std::size_t, ec_t&) { return st.push_chars(s), true; }
  bool on_string(sv s, std::size_t, ec_t&) { return st.push_string(s), true; }
  bool on_number_part(sv, ec_t&) { return true; }
  bool on_int64(std::int64_t i, sv, ec_t&) { return st.push_int64(i), true; }
  bool on_uint64(std::uint64_t u, sv, ec_t&) { return st.push_uint64(u), true; }
  bool on_double(double d, sv s, ec_t&) {
    double exact = 0;
    auto [end, err] = std::from_chars(s.data(), s.data() + s.size(), exact);
    if (err == std::errc{} && end == s.data() + s.size())
      d = exact; // out of range (1e999) keeps Boost's answer (infinity)
    return st.push_double(d), true;
  }
  bool on_bool(bool b, ec_t&) { return st.push_bool(b), true; }
  bool on_null(ec_t&) { return st.push_null(), true; }
  bool on_comment_part(sv, ec_t&) { return true; }
  bool on_comment(sv, ec_t&) { return true; }
};

} // namespace

json::value parse_exact(std::string_view text, json::storage_ptr memory, json::error_code& ec,
                        std::size_t& at) {
  json::parse_options options;
  options.max_depth = max_wire_depth;
  options.allow_invalid_utf8 = true; // strings come back with the bytes they were sent with
  json::basic_parser<exact_handler> parser(options);
  parser.handler().st.reset(std::move(memory));
  at = parser.write_some(false, text.data(), text.size(), ec);
  if (!ec && at < text.size())
    ec = json::error::extra_data;
  if (ec)
    return nullptr;
  return parser.handler().st.release();
}

} // namespace qs::actors::wire
