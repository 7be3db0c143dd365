#include "actors/cluster/spool_legacy.hpp"

#include <limits>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "protocol/wire_errc.hpp"

namespace qs::actors::wire {

namespace {

namespace json = boost::json;
namespace storage = runtime::storage;

// Reads members of one object; the first problem is kept and later reads do nothing.
struct fields {
  const json::object* o;
  std::string where;
  std::string* problem;

  const json::value* at(const char* name) {
    if (!problem->empty())
      return nullptr;
    const json::value* v = o->if_contains(name);
    if (!v)
      *problem = where + "." + name + ": is missing";
    return v;
  }
  void text(const char* name, std::string& out) {
    if (const json::value* v = at(name)) {
      if (v->is_string())
        out.assign(v->get_string().data(), v->get_string().size());
      else
        *problem = where + "." + name + ": expected a string";
    }
  }
  template<class I> void integer(const char* name, I& out) {
    if (const json::value* v = at(name)) {
      if (v->is_int64() && v->get_int64() >= std::numeric_limits<I>::min() &&
          v->get_int64() <= static_cast<std::int64_t>(std::numeric_limits<I>::max()))
        out = static_cast<I>(v->get_int64());
      else
        *problem = where + "." + name + ": expected an integer";
    }
  }
};

const json::array* array_of(const json::object& o, const char* name, std::string& problem) {
  const json::value* v = o.if_contains(name);
  if (!v || !v->is_array()) {
    problem = std::string("batch.") + name + ": expected an array";
    return nullptr;
  }
  return &v->get_array();
}

} // namespace

bool is_v1_batch(std::string_view entry) {
  return !entry.empty() && entry.front() == '{';
}

qs::expected<storage::write_batch> decode_v1_batch(std::string_view text) {
  json::parse_options options;
  options.allow_invalid_utf8 = true; // strings come back with the bytes they were sent with
  json::error_code ec;
  json::value root = json::parse(text, ec, {}, options);
  if (ec || !root.is_object())
    return qs::error(protocol::wire_errc::malformed, "batch: not a version 1 JSON batch");
  const json::object& o = root.get_object();
  storage::write_batch batch;
  std::string problem;
  fields{&o, "batch", &problem}.text("request_id", batch.request_id);
  if (const json::array* entries = array_of(o, "entries", problem)) {
    for (std::size_t i = 0; i < entries->size() && problem.empty(); ++i) {
      const json::object* e = (*entries)[i].if_object();
      if (!e) {
        problem = "batch.entries[" + std::to_string(i) + "]: expected an object";
        break;
      }
      fields f{e, "batch.entries[" + std::to_string(i) + "]", &problem};
      auto& entry = batch.entries.emplace_back();
      f.integer("id", entry.id), f.text("asset_id", entry.asset_id);
      f.text("request_id", entry.request_id), f.text("operation", entry.operation);
      f.text("scan_timestamp", entry.scan_timestamp), f.text("stored_at", entry.stored_at);
      f.text("scan_result", entry.scan_result), f.text("prediction", entry.prediction);
      f.text("anomaly", entry.anomaly);
    }
  }
  if (const json::array* examples = problem.empty() ? array_of(o, "examples", problem) : nullptr) {
    for (std::size_t i = 0; i < examples->size() && problem.empty(); ++i) {
      const json::object* x = (*examples)[i].if_object();
      if (!x) {
        problem = "batch.examples[" + std::to_string(i) + "]: expected an object";
        break;
      }
      fields f{x, "batch.examples[" + std::to_string(i) + "]", &problem};
      auto& example = batch.examples.emplace_back();
      f.text("asset_id", example.asset_id), f.text("scan_result", example.scan_result);
      f.text("stored_at", example.stored_at);
      if (const json::value* label = f.at("exploited")) {
        if (label->is_bool())
          example.exploited = label->get_bool();
        else if (!label->is_null())
          problem = f.where + ".exploited: expected a boolean or null";
      }
    }
  }
  if (const json::value* answer = problem.empty() ? o.if_contains("answer") : nullptr;
      answer && !answer->is_null()) {
    if (!answer->is_object()) {
      problem = "batch.answer: expected an object or null";
    } else {
      fields f{&answer->get_object(), "batch.answer", &problem};
      auto& a = batch.answer.emplace();
      f.text("key", a.key), f.text("route", a.route), f.integer("status", a.status);
      f.text("body", a.body);
      if (answer->get_object().contains("fingerprint"))
        f.text("fingerprint", a.fingerprint);
    }
  }
  if (!problem.empty())
    return qs::error(protocol::wire_errc::bad_field, problem);
  return batch;
}

} // namespace qs::actors::wire
