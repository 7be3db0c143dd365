#include "actors/cluster/wire_codec.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <optional>
#include <stdexcept>
#include <type_traits>
#include <utility>

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/value_stack.hpp>

#include "protocol/json_writer.hpp"

namespace qs::actors::wire {

namespace json = boost::json;
using protocol::json_writer;
namespace storage = runtime::storage;
using storage::write_batch;

namespace {

// The deepest request the bridge accepts (--max-depth up to 1024), plus the
// levels a job wraps around a scan result's document.
constexpr std::size_t max_wire_depth = 1040;

// ---- Parsing ---------------------------------------------------------------
// Boost.JSON's own value builder, except that doubles are re-read from their
// text with std::from_chars: Boost 1.81 parses doubles fast but not correctly
// rounded (about one shortest form in five came back one ulp off).

struct exact_handler {
  static constexpr std::size_t max_object_size = json::object::max_size();
  static constexpr std::size_t max_array_size = json::array::max_size();
  static constexpr std::size_t max_key_size = json::string::max_size();
  static constexpr std::size_t max_string_size = json::string::max_size();

  json::value_stack st;
  std::string number; ///< a number's leading parts, when split across writes

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
  bool on_number_part(sv s, ec_t&) { return number.append(s.data(), s.size()), true; }
  bool on_int64(std::int64_t i, sv, ec_t&) { return number.clear(), st.push_int64(i), true; }
  bool on_uint64(std::uint64_t u, sv, ec_t&) { return number.clear(), st.push_uint64(u), true; }
  bool on_double(double d, sv s, ec_t&) {
    const char* first = s.data();
    const char* last = first + s.size();
    if (!number.empty()) {
      number.append(first, last);
      first = number.data();
      last = first + number.size();
    }
    double exact = 0;
    auto [end, err] = std::from_chars(first, last, exact);
    if (err == std::errc{} && end == last)
      d = exact; // out of range keeps Boost's answer
    number.clear();
    return st.push_double(d), true;
  }
  bool on_bool(bool b, ec_t&) { return st.push_bool(b), true; }
  bool on_null(ec_t&) { return st.push_null(), true; }
  bool on_comment_part(sv, ec_t&) { return true; }
  bool on_comment(sv, ec_t&) { return true; }
};

/// A decoding failure: the whole sentence, thrown to the top-level decoder.
struct bad_field {
  std::string message;
};

json::value parse(std::string_view text, std::string_view what) {
  json::parse_options options;
  options.max_depth = max_wire_depth;
  options.allow_invalid_utf8 = true; // strings come back with the bytes they were sent with
  json::basic_parser<exact_handler> parser(options);
  parser.handler().st.reset();
  json::error_code ec;
  const std::size_t used = parser.write_some(false, text.data(), text.size(), ec);
  if (!ec && used < text.size())
    ec = json::error::extra_data;
  if (ec)
    throw bad_field{std::string(what) + " is not valid JSON (at byte " + std::to_string(used) +
                    ": " + ec.message() + ")"};
  return parser.handler().st.release();
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
  f("timestamp", r.timestamp), f("metadata", r.metadata), f("document", r.document);
}

template<class F, class V> when<V, job> describe(F& f, V& w) {
  f("op", w.op), f("request_id", w.request_id), f("route", w.route);
  f("idempotency_key", w.idempotency_key), f("received_at", w.received_at);
  f("results", w.results), f("quantum_scores", w.quantum_scores), f("warnings", w.warnings);
  f("model_type", w.model_type);
}

template<class F, class V> when<V, protocol::prediction> describe(F& f, V& p) {
  f("threat_score", p.threat_score), f("threat_types", p.threat_types);
  f("confidence", p.confidence), f("mitigation_steps", p.mitigation_steps);
  f("predicted_at", p.predicted_at), f("model_version", p.model_version);
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

struct writer {
  json_writer out;

  template<class T> void operator()(std::string_view name, const T& member) {
    out.key(name);
    item(member);
  }

  void item(const std::string& s) { out.value(s); }
  void item(bool b) { out.value(b); }
  void item(std::int64_t i) { out.value(i); }
  void item(unsigned u) { out.value(static_cast<std::int64_t>(u)); }
  void item(protocol::severity s) { out.value(protocol::to_string(s)); }
  void item(operation op) { out.value(to_string(op)); }
  void item(const json::object& o) { out.value(o); }
  void item(double d) {
    if (std::isfinite(d))
      out.value(d);
    else // JSON has no NaN or infinity
      out.value(std::isnan(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
  }
  template<class T> void item(const std::optional<T>& o) {
    if (o)
      item(*o);
    else
      out.null();
  }
  template<class T> void item(const std::vector<T>& list) {
    out.begin_array();
    for (const auto& x : list)
      item(x);
    out.end_array();
  }
  template<class T> auto item(const T& x) -> decltype(describe(*this, x)) {
    out.begin_object();
    describe(*this, x);
    out.end_object();
  }
};

template<class T> std::string encode(const T& root) {
  writer w;
  w.item(root);
  return w.out.release();
}

// ---- Reading ---------------------------------------------------------------

json::object& as_object(json::value& v, const where& at) {
  if (!v.is_object())
    fail(at, "must be an object");
  return v.get_object();
}

template<class T> void read(json::value& v, const where& at, T& x);

/// Reads the members of one object: `r(name, member)` for each.
struct reader {
  json::object& o;
  const where& at;

  template<class T> void operator()(std::string_view name, T& member) {
    const where here{&at, name};
    auto* v = o.if_contains(name);
    if (!v)
      fail(here, "is missing");
    read(*v, here, member);
  }
};

std::string_view text_of(const json::value& v, const where& at) {
  if (!v.is_string())
    fail(at, "must be a string");
  return v.get_string();
}

std::int64_t integer_of(const json::value& v, const where& at, std::int64_t low,
                        std::int64_t high) {
  if (!v.is_int64() || v.get_int64() < low || v.get_int64() > high)
    fail(at, "must be an integer from " + std::to_string(low) + " to " + std::to_string(high));
  return v.get_int64();
}

void read(json::value& v, const where& at, std::string& s) {
  s = text_of(v, at);
}

void read(json::value& v, const where& at, bool& b) {
  if (!v.is_bool())
    fail(at, "must be a boolean");
  b = v.get_bool();
}

void read(json::value& v, const where& at, std::int64_t& i) {
  i = integer_of(v, at, std::numeric_limits<std::int64_t>::min(),
                 std::numeric_limits<std::int64_t>::max());
}

void read(json::value& v, const where& at, unsigned& u) {
  u = static_cast<unsigned>(integer_of(v, at, 0, std::numeric_limits<unsigned>::max()));
}

void read(json::value& v, const where& at, double& d) {
  if (v.is_double())
    d = v.get_double();
  else if (v.is_int64())
    d = static_cast<double>(v.get_int64());
  else if (v.is_uint64())
    d = static_cast<double>(v.get_uint64());
  else if (v.is_string() && v.get_string() == "NaN")
    d = std::numeric_limits<double>::quiet_NaN();
  else if (v.is_string() && v.get_string() == "Infinity")
    d = std::numeric_limits<double>::infinity();
  else if (v.is_string() && v.get_string() == "-Infinity")
    d = -std::numeric_limits<double>::infinity();
  else
    fail(at, "must be a number");
}

void read(json::value& v, const where& at, protocol::severity& s) {
  const auto name = text_of(v, at);
  for (auto candidate : severities)
    if (name == protocol::to_string(candidate))
      return void(s = candidate);
  fail(at, "must be one of info, low, medium, high, critical");
}

void read(json::value& v, const where& at, operation& op) {
  const auto name = text_of(v, at);
  for (auto candidate : operations)
    if (name == to_string(candidate))
      return void(op = candidate);
  fail(at, "must be one of predict, detect-anomalies, enhance, train");
}

void read(json::value& v, const where& at, json::object& o) {
  o = std::move(as_object(v, at)); // same memory resource: moved, not copied
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

template<class T> void read(json::value& v, const where& at, T& x) {
  reader r{as_object(v, at), at};
  describe(r, x);
}

/// Parses `text` and reads it into a `T`; a bad field becomes the error string.
template<class T>
std::variant<T, std::string> decode(std::string_view text, std::string_view what) {
  try {
    json::value root = parse(text, what);
    T out;
    read(root, where{nullptr, what}, out);
    return out;
  } catch (bad_field& e) {
    return std::move(e.message);
  }
}

} // namespace

std::string encode_job(const job& work) {
  return encode(work);
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
  w.out.begin_object();
  w("op", part.work->op);
  w("request_id", part.work->request_id);
  w.out.key("results").begin_array();
  for (std::size_t i : part.indices)
    w.item(part.work->results.at(i));
  w.out.end_array().end_object();
  return w.out.release();
}

std::variant<slice, std::string> decode_task(std::string_view json) {
  try {
    json::value root = parse(json, "task");
    const where top{nullptr, "task"};
    auto work = std::make_shared<job>();
    reader r{as_object(root, top), top};
    r("op", work->op), r("request_id", work->request_id), r("results", work->results);
    slice part;
    part.indices.resize(work->results.size());
    std::iota(part.indices.begin(), part.indices.end(), std::size_t{0});
    part.work = std::move(work);
    return part;
  } catch (bad_field& e) {
    return std::move(e.message);
  }
}

std::string encode_predictions(const std::vector<protocol::prediction>& items) {
  return encode(items);
}

std::variant<std::vector<protocol::prediction>, std::string>
decode_predictions(std::string_view json) {
  return decode<std::vector<protocol::prediction>>(json, "predictions");
}

std::string encode_anomalies(const std::vector<protocol::anomaly>& items) {
  return encode(items);
}

std::variant<std::vector<protocol::anomaly>, std::string> decode_anomalies(std::string_view json) {
  return decode<std::vector<protocol::anomaly>>(json, "anomalies");
}

std::string encode_batch(const write_batch& batch) {
  return encode(batch);
}

std::variant<write_batch, std::string> decode_batch(std::string_view json) {
  return decode<write_batch>(json, "batch");
}

std::string encode_outcome(const job_outcome& out) {
  return encode(out);
}

std::variant<job_outcome, std::string> decode_outcome(std::string_view json) {
  return decode<job_outcome>(json, "outcome");
}

} // namespace qs::actors::wire
