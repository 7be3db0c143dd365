#include "actors/cluster/wire_codec.hpp"

#include "actors/cluster/exact_json.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <optional>
#include <stdexcept>
#include <type_traits>
#include <utility>

#include <boost/json/monotonic_resource.hpp>

namespace qs::actors::wire {

namespace json = boost::json;
namespace storage = runtime::storage;
using storage::write_batch;

namespace {

/// A decoding failure: the whole sentence, thrown to the top-level decoder.
struct bad_field {
  std::string message;
};

json::value parse(std::string_view text, std::string_view what, json::storage_ptr memory) {
  json::error_code ec;
  std::size_t at = 0;
  json::value v = parse_exact(text, std::move(memory), ec, at);
  if (ec)
    throw bad_field{std::string(what) + " is not valid JSON (at byte " + std::to_string(at) + ": " +
                    ec.message() + ")"};
  return v;
}

// ---- Where a value is, for errors ------------------------------------------

/// A chain from the value being read up to the root, whose key is the kind of
/// document ("job"); the path is rendered only when something is wrong.
struct where {
  const where* parent = nullptr;
  std::string_view key; ///< member name; empty for an array element
  std::size_t index = 0;
};

[[noreturn]] void fail(const where& at, std::string_view problem) {
  std::string path;
  const where* w = &at;
  for (; w->parent; w = w->parent) {
    std::string part = w->key.empty() ? "[" + std::to_string(w->index) + "]" : std::string(w->key);
    if (!path.empty() && path.front() != '[')
      part += '.';
    path.insert(0, part);
  }
  std::string message(w->key);
  if (!path.empty())
    message += " field \"" + path + "\"";
  throw bad_field{message + " " + std::string(problem)};
}

// ---- Each wire type's members, listed once for both directions --------------
// `f(name, member)` for each member; `f` is a `writer` (V const) or a `reader`.
// `f.added(name, member)` is a member added after version 1 of the protocol: a
// peer that does not send it is read as having sent the default (so a newer
// node and an older one still understand each other).

template<class V, class T> using when = std::enable_if_t<std::is_same_v<std::remove_const_t<V>, T>>;

template<class F, class V> when<V, protocol::vulnerability> describe(F& f, V& v) {
  f("type", v.type), f("severity", v.level), f("algorithm", v.algorithm);
  f("location", v.location), f("cwe_id", v.cwe_id), f("cve_id", v.cve_id);
  f("cvss_vector", v.cvss_vector), f("swc_id", v.swc_id), f("title", v.title);
  f("cvss_score", v.cvss_score), f("confidence", v.confidence), f("exploited", v.exploited);
}

template<class F, class V> when<V, protocol::scan_result> describe(F& f, V& r) {
  f("asset_id", r.asset_id), f("asset_type", r.asset_type);
  f("vulnerabilities", r.vulnerabilities), f("quantum_risk_score", r.quantum_risk_score);
  f("timestamp", r.timestamp), f("document", r.document);
}

template<class F, class V> when<V, job> describe(F& f, V& w) {
  f("op", w.op), f("request_id", w.request_id), f("route", w.route);
  f("idempotency_key", w.idempotency_key), f("received_at", w.received_at);
  f("results", w.results), f("quantum_scores", w.quantum_scores), f("warnings", w.warnings);
  f("model_type", w.model_type);
  f.added("idempotency_fingerprint", w.idempotency_fingerprint);
}

template<class F, class V> when<V, protocol::finding_prediction> describe(F& f, V& p) {
  f("cve_id", p.cve_id), f("exploit_probability", p.exploit_probability);
  f("known_exploited", p.known_exploited), f("catalogued", p.catalogued);
}

template<class F, class V> when<V, protocol::prediction> describe(F& f, V& p) {
  f("threat_score", p.threat_score), f("threat_types", p.threat_types);
  f("confidence", p.confidence), f("mitigation_steps", p.mitigation_steps);
  f("predicted_at", p.predicted_at), f("model_version", p.model_version);
  f.added("findings", p.findings);
}

template<class F, class V> when<V, protocol::anomaly> describe(F& f, V& a) {
  f("is_anomaly", a.is_anomaly), f("anomaly_score", a.anomaly_score);
  f("anomaly_types", a.anomaly_types), f("confidence", a.confidence);
  f("detected_at", a.detected_at), f("details", a.details);
}

// The JSON members of entries and examples travel as strings, byte for byte.
template<class F, class V> when<V, storage::entry> describe(F& f, V& e) {
  f("id", e.id), f("asset_id", e.asset_id), f("request_id", e.request_id);
  f("operation", e.operation), f("scan_timestamp", e.scan_timestamp);
  f("stored_at", e.stored_at), f("scan_result", e.scan_result);
  f("prediction", e.prediction), f("anomaly", e.anomaly);
}

template<class F, class V> when<V, storage::training_example> describe(F& f, V& x) {
  f("asset_id", x.asset_id), f("scan_result", x.scan_result);
  f("exploited", x.exploited), f("stored_at", x.stored_at);
}

template<class F, class V> when<V, storage::idempotent_answer> describe(F& f, V& a) {
  f("key", a.key), f("route", a.route), f("status", a.status), f("body", a.body);
  f.added("fingerprint", a.fingerprint);
}

template<class F, class V> when<V, write_batch> describe(F& f, V& b) {
  f("request_id", b.request_id), f("entries", b.entries), f("examples", b.examples);
  f("answer", b.answer);
}

template<class F, class V> when<V, job_outcome> describe(F& f, V& o) {
  f("status", o.status), f("body", o.body), f("degraded", o.degraded);
  f("degraded_reasons", o.degraded_reasons), f("failure", o.failure);
}

constexpr protocol::severity severities[] = {protocol::severity::info, protocol::severity::low,
                                             protocol::severity::medium, protocol::severity::high,
                                             protocol::severity::critical};
constexpr operation operations[] = {operation::predict, operation::detect_anomalies,
                                    operation::enhance, operation::train};

// ---- Writing ---------------------------------------------------------------
// Straight into one string: field names are plain ASCII, strings are escaped a
// run at a time, doubles take their shortest round-trip form ("0.83", "1.0").
// JSON has no NaN or infinity: infinities are written 1e999 (which reads back as
// infinity), NaN as the string "NaN" (in a document, which parsed JSON never
// gives NaN, as null).

struct writer {
  std::string out;

  void comma() {
    if (out.back() != '{' && out.back() != '[')
      out += ',';
  }
  template<class T> void operator()(std::string_view name, const T& member) {
    comma();
    out += '"';
    out += name;
    out += "\":";
    item(member);
  }
  template<class T> void added(std::string_view name, const T& member) { (*this)(name, member); }

  void item(std::string_view s) {
    static const char hex[] = "0123456789abcdef";
    out += '"';
    std::size_t run = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
      const auto c = static_cast<unsigned char>(s[i]);
      if (c >= 0x20 && c != '"' && c != '\\')
        continue;
      out.append(s.data() + run, i - run);
      run = i + 1;
      out += '\\';
      if (c == '"' || c == '\\')
        out += static_cast<char>(c);
      else if (c >= '\b' && c <= '\r' && c != '\v')
        out += "btn?fr"[c - '\b'];
      else
        out.append("u00").append(1, hex[c >> 4]).append(1, hex[c & 0xf]);
    }
    out.append(s.data() + run, s.size() - run);
    out += '"';
  }
  void item(const std::string& s) { item(std::string_view(s)); }
  void item(bool b) { out += b ? "true" : "false"; }
  void item(std::int64_t i) { append(i); }
  void item(unsigned u) { append(u); }
  void item(protocol::severity s) { item(std::string_view(protocol::to_string(s))); }
  void item(operation op) { item(std::string_view(to_string(op))); }
  void item(double d, const char* nan = "\"NaN\"") {
    if (std::isnan(d))
      return void(out += nan);
    if (std::isinf(d))
      return void(out += d > 0 ? "1e999" : "-1e999");
    char buf[32];
    const std::string_view text(buf, std::to_chars(buf, buf + sizeof buf, d).ptr - buf);
    out += text;
    if (text.find_first_of(".e") == std::string_view::npos)
      out += ".0"; // keep it a double: "1.0", not "1"
  }
  void item(const json::object& o) {
    out += '{';
    for (const auto& member : o) {
      comma();
      item(std::string_view(member.key()));
      out += ':';
      value(member.value());
    }
    out += '}';
  }
  void value(const json::value& v) {
    switch (v.kind()) {
    case json::kind::null:
      out += "null";
      break;
    case json::kind::bool_:
      return item(v.get_bool());
    case json::kind::int64:
      return item(v.get_int64());
    case json::kind::uint64:
      return append(v.get_uint64());
    case json::kind::double_:
      return item(v.get_double(), "null");
    case json::kind::string:
      return item(std::string_view(v.get_string()));
    case json::kind::array:
      out += '[';
      for (const auto& x : v.get_array())
        comma(), value(x);
      out += ']';
      break;
    case json::kind::object:
      return item(v.get_object());
    }
  }
  template<class T> void item(const std::optional<T>& o) {
    if (o)
      item(*o);
    else
      out += "null";
  }
  template<class T> void item(const std::vector<T>& list) {
    out += '[';
    for (const auto& x : list)
      comma(), item(x);
    out += ']';
  }
  template<class T> auto item(const T& x) -> decltype(describe(*this, x)) {
    out += '{';
    describe(*this, x);
    out += '}';
  }
  template<class N> void append(N number) {
    char buf[32];
    out.append(buf, std::to_chars(buf, buf + sizeof buf, number).ptr);
  }
};

template<class T> std::string encode(const T& root, std::size_t guess = 256) {
  writer w;
  w.out.reserve(guess);
  w.item(root);
  return std::move(w.out);
}

// ---- Reading ---------------------------------------------------------------

json::object& as_object(json::value& v, const where& at) {
  if (!v.is_object())
    fail(at, "must be an object");
  return v.get_object();
}

/// Reads the members of one object: `r(name, member)` for each.
struct reader {
  json::object& o;
  const where& at;
  std::size_t next = 0; ///< members usually come in the order written: look there first

  template<class T> void operator()(std::string_view name, T& member) {
    const where here{&at, name};
    json::value* v = nullptr;
    if (auto* in_order = next < o.size() ? o.begin() + next : nullptr;
        in_order && std::string_view(in_order->key()) == name)
      v = &in_order->value();
    else
      v = o.if_contains(name);
    ++next;
    if (!v)
      fail(here, "is missing");
    read(*v, here, member);
  }
  template<class T> void added(std::string_view name, T& member) {
    if (o.contains(name))
      (*this)(name, member);
    else
      member = T{};
  }
};

std::string_view text_of(const json::value& v, const where& at) {
  if (!v.is_string())
    fail(at, "must be a string");
  return v.get_string();
}

void read(json::value& v, const where& at, std::string& s) {
  s = text_of(v, at);
}

void read(json::value& v, const where& at, bool& b) {
  if (!v.is_bool())
    fail(at, "must be a boolean");
  b = v.get_bool();
}

template<class I>
std::enable_if_t<std::is_integral_v<I>> read(json::value& v, const where& at, I& i) {
  const auto low = static_cast<std::int64_t>(std::numeric_limits<I>::min());
  const auto high = static_cast<std::int64_t>(std::numeric_limits<I>::max());
  if (!v.is_int64() || v.get_int64() < low || v.get_int64() > high)
    fail(at, "must be an integer from " + std::to_string(low) + " to " + std::to_string(high));
  i = static_cast<I>(v.get_int64());
}

void read(json::value& v, const where& at, double& d) {
  if (v.is_number())
    d = v.to_number<double>();
  else if (v.is_string() && v.get_string() == "NaN")
    d = std::numeric_limits<double>::quiet_NaN();
  else
    fail(at, "must be a number");
}

/// An enum by its name, one of `all`.
template<class E, std::size_t N>
void read(json::value& v, const where& at, E& e, const E (&all)[N]) {
  const auto name = text_of(v, at);
  std::string names;
  for (E candidate : all)
    if (name == to_string(candidate))
      return void(e = candidate);
  for (E candidate : all)
    names += (names.empty() ? "" : ", ") + std::string(to_string(candidate));
  fail(at, "must be one of " + names);
}

void read(json::value& v, const where& at, protocol::severity& s) {
  read(v, at, s, severities);
}

void read(json::value& v, const where& at, operation& op) {
  read(v, at, op, operations);
}

void read(json::value& v, const where& at, json::object& o) {
  o = as_object(v, at); // copied out of the scratch memory, into `o`'s
}

template<class T> void read(json::value& v, const where& at, std::optional<T>& o) {
  if (v.is_null())
    return o.reset();
  read(v, at, o.emplace());
}

template<class T> void read(json::value& v, const where& at, std::vector<T>& list) {
  if (!v.is_array())
    fail(at, "must be an array");
  auto& array = v.get_array();
  list.clear();
  list.reserve(array.size());
  for (std::size_t i = 0; i < array.size(); ++i)
    read(array[i], where{&at, {}, i}, list.emplace_back());
}

/// A struct, by its members.
template<class T>
auto read(json::value& v, const where& at, T& x) -> decltype(describe(std::declval<reader&>(), x)) {
  reader r{as_object(v, at), at};
  describe(r, x);
}

/// Parses `text` and reads it into a `T`; a bad field becomes the error string.
/// `fill(root, where, out)` reads the parsed tree; by default, field by field.
template<class T, class F>
std::variant<T, std::string> decode(std::string_view text, std::string_view what, F fill) {
  try {
    // The tree lives only while it is read: allocate it all at once, free it at once.
    json::monotonic_resource scratch(2 * text.size() + 1024);
    json::value root = parse(text, what, &scratch);
    T out;
    fill(root, where{nullptr, what}, out);
    return out;
  } catch (bad_field& e) {
    return std::move(e.message);
  }
}

template<class T>
std::variant<T, std::string> decode(std::string_view text, std::string_view what) {
  return decode<T>(text, what,
                   [](json::value& root, const where& top, T& out) { read(root, top, out); });
}

} // namespace

std::string encode_job(const job& work) {
  return encode(work, 1024 * work.results.size() + 256);
}

std::variant<job_ptr, std::string> decode_job(std::string_view json) {
  auto decoded = decode<job>(json, "job");
  if (auto* error = std::get_if<std::string>(&decoded))
    return std::move(*error);
  return std::make_shared<const job>(std::move(std::get<job>(decoded)));
}

// A task is a job cut down to op, request_id and the slice's results.
std::string encode_task(const slice& part) {
  if (!part.work)
    throw std::invalid_argument("wire::encode_task: the slice has no job");
  writer w;
  w.out.reserve(1024 * part.indices.size() + 128);
  w.out += '{';
  w("op", part.work->op);
  w("request_id", part.work->request_id);
  w.out += ",\"results\":[";
  for (std::size_t i : part.indices)
    w.comma(), w.item(part.work->results.at(i));
  w.out += "]}";
  return std::move(w.out);
}

std::variant<slice, std::string> decode_task(std::string_view json) {
  return decode<slice>(json, "task", [](json::value& root, const where& top, slice& part) {
    auto work = std::make_shared<job>();
    reader r{as_object(root, top), top};
    r("op", work->op), r("request_id", work->request_id), r("results", work->results);
    part.indices.resize(work->results.size());
    std::iota(part.indices.begin(), part.indices.end(), std::size_t{0});
    part.work = std::move(work);
  });
}

std::string encode_predictions(const std::vector<protocol::prediction>& items) {
  return encode(items, 256 * items.size() + 16);
}

std::variant<std::vector<protocol::prediction>, std::string>
decode_predictions(std::string_view json) {
  return decode<std::vector<protocol::prediction>>(json, "predictions");
}

std::string encode_anomalies(const std::vector<protocol::anomaly>& items) {
  return encode(items, 256 * items.size() + 16);
}

std::variant<std::vector<protocol::anomaly>, std::string> decode_anomalies(std::string_view json) {
  return decode<std::vector<protocol::anomaly>>(json, "anomalies");
}

std::string encode_batch(const write_batch& batch) {
  std::size_t guess = 256;
  for (const auto& e : batch.entries)
    guess += 256 + e.scan_result.size() + e.prediction.size() + e.anomaly.size();
  for (const auto& x : batch.examples)
    guess += 128 + x.scan_result.size();
  return encode(batch, batch.answer ? guess + batch.answer->body.size() : guess);
}

std::variant<write_batch, std::string> decode_batch(std::string_view json) {
  return decode<write_batch>(json, "batch");
}

std::string encode_outcome(const job_outcome& out) {
  return encode(out, 128 + out.body.size());
}

std::variant<job_outcome, std::string> decode_outcome(std::string_view json) {
  return decode<job_outcome>(json, "outcome");
}

} // namespace qs::actors::wire
