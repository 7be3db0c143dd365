// A fast, append-only JSON writer for answers. Numbers are written in their
// shortest round-trip form ("0.83", not "8.3E-1"), strings are escaped, and
// Boost.JSON values (kept input documents) can be embedded.
// Not thread-safe: one writer per answer being built.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/value.hpp>

namespace qs::protocol {

class json_writer {
public:
  json_writer& begin_object();
  json_writer& end_object();
  json_writer& begin_array();
  json_writer& end_array();
  /// Writes a member name; the next call writes its value.
  json_writer& key(std::string_view name);

  json_writer& value(std::string_view text);
  json_writer& value(const char* text) { return value(std::string_view{text}); }
  json_writer& value(const std::string& text) { return value(std::string_view{text}); }
  json_writer& value(double number);
  json_writer& value(std::int64_t number);
  json_writer& value(int number) { return value(static_cast<std::int64_t>(number)); }
  json_writer& value(bool flag);
  json_writer& null();
  json_writer& value(const boost::json::value& v);
  json_writer& value(const boost::json::object& o);
  json_writer& strings(const std::vector<std::string>& list);
  /// Inserts already-serialised JSON text as a value.
  json_writer& raw(std::string_view json);

  const std::string& str() const { return out_; }
  std::string release() { return std::move(out_); }

private:
  void separate();

  std::string out_;
  bool need_comma_ = false;
};

/// Appends `text` to `out` as a quoted, escaped JSON string.
void append_json_string(std::string& out, std::string_view text);

} // namespace qs::protocol
