#include "protocol/json_writer.hpp"

#include <charconv>
#include <cmath>

namespace qs::protocol {

namespace {

// Whether a byte must be escaped inside a JSON string.
constexpr bool needs_escape(unsigned char c) {
  return c < 0x20 || c == '"' || c == '\\';
}

void append_escape(std::string& out, unsigned char c) {
  static const char hex[] = "0123456789abcdef";
  switch (c) {
  case '"':
    out += "\\\"";
    break;
  case '\\':
    out += "\\\\";
    break;
  case '\n':
    out += "\\n";
    break;
  case '\r':
    out += "\\r";
    break;
  case '\t':
    out += "\\t";
    break;
  case '\b':
    out += "\\b";
    break;
  case '\f':
    out += "\\f";
    break;
  default:
    out += "\\u00";
    out.push_back(hex[c >> 4]);
    out.push_back(hex[c & 0xf]);
  }
}

} // namespace

void append_json_string(std::string& out, std::string_view text) {
  out.push_back('"');
  // Runs of bytes that need no escape are appended whole.
  std::size_t run = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (!needs_escape(c))
      continue;
    out.append(text.data() + run, i - run);
    append_escape(out, c);
    run = i + 1;
  }
  out.append(text.data() + run, text.size() - run);
  out.push_back('"');
}

void json_writer::separate() {
  if (need_comma_)
    out_.push_back(',');
  need_comma_ = true;
}

json_writer& json_writer::begin_object() {
  separate();
  out_.push_back('{');
  need_comma_ = false;
  return *this;
}

json_writer& json_writer::end_object() {
  out_.push_back('}');
  need_comma_ = true;
  return *this;
}

json_writer& json_writer::begin_array() {
  separate();
  out_.push_back('[');
  need_comma_ = false;
  return *this;
}

json_writer& json_writer::end_array() {
  out_.push_back(']');
  need_comma_ = true;
  return *this;
}

json_writer& json_writer::key(std::string_view name) {
  separate();
  append_json_string(out_, name);
  out_.push_back(':');
  need_comma_ = false;
  return *this;
}

json_writer& json_writer::value(std::string_view text) {
  separate();
  append_json_string(out_, text);
  return *this;
}

json_writer& json_writer::value(double number) {
  separate();
  if (!std::isfinite(number)) {
    out_ += "null";
    return *this;
  }
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, number);
  std::string_view text(buf, static_cast<std::size_t>(end - buf));
  out_ += text;
  // Keep doubles recognisable as floating point ("1.0", not "1").
  if (ec == std::errc{} && text.find_first_of(".eE") == std::string_view::npos)
    out_ += ".0";
  return *this;
}

json_writer& json_writer::value(std::int64_t number) {
  separate();
  char buf[24];
  auto end = std::to_chars(buf, buf + sizeof buf, number).ptr;
  out_.append(buf, end);
  return *this;
}

json_writer& json_writer::value(bool flag) {
  separate();
  out_ += flag ? "true" : "false";
  return *this;
}

json_writer& json_writer::null() {
  separate();
  out_ += "null";
  return *this;
}

json_writer& json_writer::strings(const std::vector<std::string>& list) {
  begin_array();
  for (const auto& s : list)
    value(s);
  return end_array();
}

json_writer& json_writer::raw(std::string_view json) {
  separate();
  out_ += json;
  return *this;
}

json_writer& json_writer::value(const boost::json::value& v) {
  switch (v.kind()) {
  case boost::json::kind::null:
    return null();
  case boost::json::kind::bool_:
    return value(v.get_bool());
  case boost::json::kind::int64:
    return value(v.get_int64());
  case boost::json::kind::uint64: {
    separate();
    char buf[24];
    auto end = std::to_chars(buf, buf + sizeof buf, v.get_uint64()).ptr;
    out_.append(buf, end);
    return *this;
  }
  case boost::json::kind::double_:
    return value(v.get_double());
  case boost::json::kind::string:
    return value(std::string_view{v.get_string()});
  case boost::json::kind::array:
    begin_array();
    for (const auto& item : v.get_array())
      value(item);
    return end_array();
  case boost::json::kind::object:
    return value(v.get_object());
  }
  return *this;
}

json_writer& json_writer::value(const boost::json::object& o) {
  begin_object();
  for (const auto& member : o) {
    key(member.key());
    value(member.value());
  }
  return end_object();
}

} // namespace qs::protocol
