#include "protocol/scan_result_codec.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

#include <boost/json/serialize.hpp>

#include "protocol/timestamp.hpp"

namespace qs::protocol {

namespace json = boost::json;

namespace {

const char* kind_name(const json::value& v) {
  switch (v.kind()) {
  case json::kind::null:
    return "null";
  case json::kind::bool_:
    return "a boolean";
  case json::kind::int64:
  case json::kind::uint64:
  case json::kind::double_:
    return "a number";
  case json::kind::string:
    return "a string";
  case json::kind::array:
    return "an array";
  case json::kind::object:
    return "an object";
  }
  return "a value";
}

// The validation context for one batch: where problems and warnings go.
struct context {
  const batch_limits& limits;
  problems& errors;
  std::vector<std::string>& warnings;

  void fail(std::string path, std::string message) {
    errors.push_back({std::move(path), std::move(message)});
  }

  void expected(const std::string& path, const char* what, const json::value& got) {
    fail(path, std::string("expected ") + what + ", got " + kind_name(got));
  }

  /// A string member; absent or null gives `fallback`. Wrong type is a problem.
  std::string string_at(const json::object& o, std::string_view key, const std::string& path,
                        std::string fallback = {}) {
    auto it = o.find(key);
    if (it == o.end() || it->value().is_null())
      return fallback;
    if (!it->value().is_string()) {
      expected(field_path(path, std::string(key)), "a string", it->value());
      return fallback;
    }
    const auto& s = it->value().get_string();
    if (s.size() > limits.max_string) {
      fail(field_path(path, std::string(key)),
           "string longer than " + std::to_string(limits.max_string) + " bytes");
      return fallback;
    }
    return std::string(s);
  }

  /// A whole number within [low, high] (a double with no fraction counts); a
  /// problem otherwise, never an exception, whatever its size.
  std::optional<std::int64_t> whole_number(const json::value& v, const std::string& path,
                                           std::int64_t low, std::int64_t high) {
    std::optional<std::int64_t> n;
    if (v.is_int64())
      n = v.get_int64();
    else if (v.is_double() && std::isfinite(v.get_double()) &&
             std::trunc(v.get_double()) == v.get_double() && std::fabs(v.get_double()) < 9e15)
      n = static_cast<std::int64_t>(v.get_double());
    if (v.is_number() && (!n || *n < low || *n > high)) { // uint64 is always out of range here
      fail(path, "expected a whole number from " + std::to_string(low) + " to " +
                     std::to_string(high) + ", got " + json::serialize(v));
      return std::nullopt;
    }
    if (!n)
      expected(path, "a whole number", v);
    return n;
  }

  /// A number member within [low, high]; absent or null gives nullopt.
  std::optional<double> number_at(const json::object& o, std::string_view key,
                                  const std::string& path, double low, double high) {
    auto it = o.find(key);
    if (it == o.end() || it->value().is_null())
      return std::nullopt;
    const auto& v = it->value();
    if (!v.is_number()) {
      expected(field_path(path, std::string(key)), "a number", v);
      return std::nullopt;
    }
    const double d = v.to_number<double>();
    if (!std::isfinite(d) || d < low || d > high) {
      char buf[96];
      std::snprintf(buf, sizeof buf, "expected a number from %g to %g, got %g", low, high, d);
      fail(field_path(path, std::string(key)), buf);
      return std::nullopt;
    }
    return d;
  }
};

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// "CWE-327", "cwe-327", "327" and 327 all become "CWE-327".
std::string cwe_at(context& cx, const json::object& o, const std::string& path) {
  auto it = o.find("cwe_id");
  if (it == o.end() || it->value().is_null())
    return {};
  const auto& v = it->value();
  if (v.is_number()) {
    auto n = cx.whole_number(v, field_path(path, "cwe_id"), 1, 2147483647);
    return n ? "CWE-" + std::to_string(*n) : std::string();
  }
  if (!v.is_string()) {
    cx.expected(field_path(path, "cwe_id"), "a string like \"CWE-327\"", v);
    return {};
  }
  std::string s(v.get_string());
  std::string digits = s;
  if (lower(s).rfind("cwe-", 0) == 0)
    digits = s.substr(4);
  if (lower(s).rfind("nvd-cwe-", 0) == 0)
    return s;
  if (digits.empty() || !std::all_of(digits.begin(), digits.end(),
                                     [](unsigned char c) { return std::isdigit(c) != 0; })) {
    cx.fail(field_path(path, "cwe_id"), "expected a CWE id like \"CWE-327\", got \"" + s + "\"");
    return {};
  }
  return "CWE-" + digits;
}

std::optional<double> confidence_at(context& cx, const json::object& o, const std::string& path) {
  auto it = o.find("confidence");
  if (it != o.end() && it->value().is_string()) {
    // Slither and friends say "High", "Medium", "Low".
    const std::string s = lower(std::string(it->value().get_string()));
    if (s == "high")
      return 0.9;
    if (s == "medium")
      return 0.6;
    if (s == "low")
      return 0.3;
    cx.fail(field_path(path, "confidence"),
            "expected a number from 0 to 1 or high/medium/low, got \"" + s + "\"");
    return std::nullopt;
  }
  return cx.number_at(o, "confidence", path, 0, 1);
}

severity severity_at(context& cx, const json::object& o, const std::string& path) {
  auto it = o.find("severity");
  if (it != o.end() && !it->value().is_null()) {
    if (!it->value().is_string()) {
      cx.expected(field_path(path, "severity"), "a string like \"high\"", it->value());
      return severity::medium;
    }
    if (auto s = parse_severity(it->value().get_string()))
      return *s;
    cx.fail(field_path(path, "severity"),
            "expected one of info, low, medium, high, critical, got \"" +
                std::string(it->value().get_string()) + "\"");
    return severity::medium;
  }
  if (auto v = cx.number_at(o, "severity_value", path, 0, 4))
    return static_cast<severity>(static_cast<int>(*v));
  return severity::medium;
}

// A location string, or {filename, line, column} as "file:line:column".
std::string location_at(context& cx, const json::object& o, const std::string& path) {
  auto it = o.find("location");
  if (it == o.end() || it->value().is_null())
    return {};
  const auto& v = it->value();
  if (v.is_string())
    return std::string(v.get_string());
  if (!v.is_object()) {
    cx.expected(field_path(path, "location"), "a string or {filename, line, column}", v);
    return {};
  }
  const auto& loc = v.get_object();
  const std::string where = field_path(path, "location");
  std::string out = cx.string_at(loc, "filename", where);
  for (const char* part : {"line", "column"}) {
    auto p = loc.find(part);
    if (p == loc.end() || p->value().is_null())
      continue;
    if (auto n = cx.whole_number(p->value(), field_path(where, part), 0, 2147483647))
      out += ":" + std::to_string(*n);
  }
  return out;
}

vulnerability decode_vulnerability(context& cx, json::value& item, const std::string& path) {
  vulnerability v;
  if (!item.is_object()) {
    cx.expected(path, "an object", item);
    return v;
  }
  auto& o = item.get_object();
  // The older shape nests algorithm and location under "details".
  // Copy out first: inserting into `o` may move the "details" member.
  std::vector<std::pair<const char*, json::value>> lifted;
  if (auto d = o.find("details"); d != o.end() && d->value().is_object())
    for (const char* key : {"algorithm", "location"})
      if (!o.contains(key) && d->value().get_object().contains(key))
        lifted.emplace_back(key, d->value().get_object().at(key));
  for (auto& [key, value] : lifted)
    o[key] = std::move(value);
  v.type = cx.string_at(o, "type", path);
  if (v.type.empty())
    v.type = cx.string_at(o, "vulnerability_type", path);
  if (v.type.empty())
    v.type = cx.string_at(o, "category", path);
  v.level = severity_at(cx, o, path);
  v.algorithm = cx.string_at(o, "algorithm", path);
  v.location = location_at(cx, o, path);
  v.cwe_id = cwe_at(cx, o, path);
  v.cve_id = cx.string_at(o, "cve_id", path);
  v.cvss_vector = cx.string_at(o, "cvss_vector", path);
  v.swc_id = cx.string_at(o, "swc_id", path);
  v.title = cx.string_at(o, "title", path);
  v.cvss_score = cx.number_at(o, "cvss_score", path, 0, 10);
  v.confidence = confidence_at(cx, o, path);
  if (auto e = o.find("exploited"); e != o.end() && !e->value().is_null()) {
    if (e->value().is_bool())
      v.exploited = e->value().get_bool();
    else
      cx.expected(field_path(path, "exploited"), "a boolean", e->value());
  }
  // Normalised members, so what is stored and echoed reads the same for every shape.
  if (!v.type.empty())
    o["type"] = v.type;
  o["severity"] = to_string(v.level);
  if (!v.algorithm.empty())
    o["algorithm"] = v.algorithm;
  if (!v.location.empty())
    o["location"] = v.location;
  if (!v.cwe_id.empty())
    o["cwe_id"] = v.cwe_id;
  return v;
}

// Moves an older-shape member to its current name, once.
bool rename(json::object& o, std::string_view from, std::string_view to) {
  auto it = o.find(from);
  if (it == o.end() || o.contains(to))
    return false;
  json::value moved = std::move(it->value());
  o.erase(it);
  o[to] = std::move(moved);
  return true;
}

// Takes `from` with its memory resource: move-assigning a Boost.JSON container
// keeps the target's resource and copies every member when the two differ (a
// body parsed into a monotonic resource would be copied into the default one).
void adopt(json::object& slot, json::object&& from) {
  slot.~object();
  ::new (static_cast<void*>(&slot)) json::object(std::move(from));
}

} // namespace

scan_result decode_scan_result(json::value item, const std::string& path,
                               const batch_limits& limits, problems& errors,
                               std::vector<std::string>& warnings) {
  context cx{limits, errors, warnings};
  scan_result r;
  if (!item.is_object()) {
    cx.expected(path, "an object", item);
    return r;
  }
  adopt(r.document, std::move(item.get_object()));
  auto& o = r.document;

  std::vector<std::string> mapped;
  const std::pair<const char*, const char*> older[] = {{"target_id", "asset_id"},
                                                       {"target_type", "asset_type"},
                                                       {"scan_time", "timestamp"},
                                                       {"findings", "vulnerabilities"},
                                                       {"scan_metadata", "metadata"}};
  for (const auto& [from, to] : older)
    if (rename(o, from, to))
      mapped.push_back(std::string(from) + "->" + to);
  if (!mapped.empty()) {
    std::string note = path + ": mapped the older Scorpius shape (";
    for (std::size_t i = 0; i < mapped.size(); ++i)
      note += (i ? ", " : "") + mapped[i];
    warnings.push_back(note + ")");
  }

  auto id = o.find("asset_id");
  if (id == o.end() || id->value().is_null())
    cx.fail(field_path(path, "asset_id"), "required: a non-empty string");
  else if (!id->value().is_string())
    cx.expected(field_path(path, "asset_id"), "a non-empty string", id->value());
  else if (id->value().get_string().empty())
    cx.fail(field_path(path, "asset_id"), "must not be empty");
  else
    r.asset_id = cx.string_at(o, "asset_id", path);

  r.asset_type = cx.string_at(o, "asset_type", path, "unknown");
  o["asset_type"] = r.asset_type;

  if (auto list = o.find("vulnerabilities"); list != o.end() && !list->value().is_null()) {
    if (!list->value().is_array()) {
      cx.expected(field_path(path, "vulnerabilities"), "an array", list->value());
    } else {
      auto& array = list->value().get_array();
      if (array.size() > limits.max_findings)
        cx.fail(field_path(path, "vulnerabilities"),
                "more than " + std::to_string(limits.max_findings) + " findings");
      else
        for (std::size_t i = 0; i < array.size(); ++i)
          r.vulnerabilities.push_back(decode_vulnerability(
              cx, array[i], index_path(field_path(path, "vulnerabilities"), i)));
    }
  } else {
    o["vulnerabilities"] = json::array();
  }

  r.quantum_risk_score = cx.number_at(o, "quantum_risk_score", path, 0, 1);

  auto ts = o.find("timestamp");
  if (ts == o.end() || ts->value().is_null()) {
    r.timestamp = now_iso8601();
  } else if (!ts->value().is_string()) {
    cx.expected(field_path(path, "timestamp"), "an ISO 8601 string", ts->value());
  } else if (auto n = normalize_iso8601(ts->value().get_string())) {
    r.timestamp = *n;
  } else {
    cx.fail(field_path(path, "timestamp"), "expected an ISO 8601 date-time like "
                                           "\"2026-11-25T10:00:00\", got \"" +
                                               std::string(ts->value().get_string()) + "\"");
  }
  o["timestamp"] = r.timestamp;

  if (auto m = o.find("metadata"); m != o.end() && !m->value().is_null()) {
    if (!m->value().is_object())
      cx.expected(field_path(path, "metadata"), "an object", m->value());
  } else {
    o["metadata"] = json::object();
  }
  return r;
}

decoded_batch decode_batch(json::value body, std::string_view list_field,
                           const batch_limits& limits) {
  decoded_batch out;
  if (!body.is_object()) {
    out.errors.push_back({"", std::string("expected a JSON object with \"") +
                                  std::string(list_field) + "\", got " + kind_name(body)});
    return out;
  }
  adopt(out.request, std::move(body.get_object()));
  auto it = out.request.find(list_field);
  if (it == out.request.end()) {
    out.errors.push_back({std::string(list_field), "required: an array of scan results"});
    return out;
  }
  const std::string base(list_field);
  if (!it->value().is_array()) {
    out.errors.push_back({base, std::string("expected an array, got ") + kind_name(it->value())});
    return out;
  }
  json::array array = std::move(it->value().get_array());
  out.request.erase(list_field);
  if (array.size() > limits.max_scan_results) {
    out.errors.push_back({base, "more than " + std::to_string(limits.max_scan_results) +
                                    " scan results in one request; split the batch"});
    return out;
  }
  out.results.reserve(array.size());
  for (std::size_t i = 0; i < array.size(); ++i)
    out.results.push_back(decode_scan_result(std::move(array[i]), index_path(base, i), limits,
                                             out.errors, out.warnings));
  return out;
}

} // namespace qs::protocol
