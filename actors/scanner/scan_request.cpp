#include "actors/scanner/scan_request.hpp"

#include <boost/json/serialize.hpp>

#include <cmath>

namespace qs::scanner {

namespace {

const char* type_name(const boost::json::value& v) {
  switch (v.kind()) {
  case boost::json::kind::null:
    return "null";
  case boost::json::kind::bool_:
    return "a boolean";
  case boost::json::kind::string:
    return "a string";
  case boost::json::kind::array:
    return "an array";
  case boost::json::kind::object:
    return "an object";
  default:
    return "a number";
  }
}

// An integer option within [low, high], or a problem at its path.
void integer_option(const boost::json::object& options, const char* key, std::int64_t low,
                    std::int64_t high, std::int64_t& into, protocol::problems& out) {
  const auto* v = options.if_contains(key);
  if (!v || v->is_null())
    return;
  // A double is checked as a double (casting 5e27 to an integer is undefined) and
  // converted only once it is known to lie within [low, high].
  const double n = v->is_number() ? v->to_number<double>() : 0;
  const bool integral = v->is_int64() || v->is_uint64() || (v->is_double() && std::trunc(n) == n);
  if (!integral || n < static_cast<double>(low) || n > static_cast<double>(high)) {
    out.push_back({std::string("options.") + key,
                   "expected an integer from " + std::to_string(low) + " to " +
                       std::to_string(high) + ", got " +
                       (v->is_number() ? boost::json::serialize(*v) : type_name(*v))});
    return;
  }
  into = static_cast<std::int64_t>(n);
}

} // namespace

std::variant<scan_request, protocol::problems> read_scan_request(const boost::json::value& body,
                                                                 std::size_t max_targets) {
  protocol::problems problems;
  scan_request out;
  if (!body.is_object())
    return protocol::problems{{"", std::string("expected a JSON object, got ") + type_name(body)}};
  const auto& o = body.get_object();
  const auto* targets = o.if_contains("targets");
  if (!targets) {
    problems.push_back({"targets", "required: a list of targets such as \"tls://host:443\""});
  } else if (!targets->is_array()) {
    problems.push_back({"targets", std::string("expected an array, got ") + type_name(*targets)});
  } else if (targets->get_array().empty()) {
    problems.push_back({"targets", "expected at least one target"});
  } else if (targets->get_array().size() > max_targets) {
    problems.push_back({"targets", std::to_string(targets->get_array().size()) +
                                       " targets; at most " + std::to_string(max_targets) +
                                       " in one job (--scan-max-targets)"});
  } else {
    const auto& list = targets->get_array();
    for (std::size_t i = 0; i < list.size(); ++i) {
      const auto path = protocol::index_path("targets", i);
      if (!list[i].is_string()) {
        problems.push_back({path, std::string("expected a string, got ") + type_name(list[i])});
        continue;
      }
      auto parsed = parse_target(std::string(list[i].get_string()));
      if (auto* why = std::get_if<std::string>(&parsed))
        problems.push_back({path, *why});
      else
        out.targets.push_back(std::get<target>(std::move(parsed)));
    }
  }
  if (const auto* options = o.if_contains("options"); options && !options->is_null()) {
    if (!options->is_object()) {
      problems.push_back(
          {"options", std::string("expected an object, got ") + type_name(*options)});
    } else {
      std::int64_t timeout = out.timeout.count();
      std::int64_t probes = static_cast<std::int64_t>(out.probes_per_endpoint);
      integer_option(options->get_object(), "timeout_ms", 100, 60000, timeout, problems);
      integer_option(options->get_object(), "probes_per_endpoint", 1, 32, probes, problems);
      out.timeout = std::chrono::milliseconds(timeout);
      out.probes_per_endpoint = static_cast<std::size_t>(probes);
    }
  }
  if (!problems.empty())
    return problems;
  return out;
}

} // namespace qs::scanner
