#include "actors/scanner/scan_job_requests.hpp"

#include <ctime>
#include <random>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "actors/scanner/schedule_spec.hpp"
#include "protocol/answer_codec.hpp"
#include "protocol/timestamp.hpp"
#include "runtime/auth/digest.hpp"

namespace qs::scanner {

namespace json = boost::json;

namespace {

constexpr std::size_t max_name = 200;

std::string text_at(const json::object& o, std::string_view key) {
  if (const auto* v = o.if_contains(key); v && v->is_string())
    return std::string(v->as_string());
  return {};
}

std::int64_t random_below(std::int64_t bound) {
  if (bound <= 0)
    return 0;
  std::random_device random;
  return std::uniform_int_distribution<std::int64_t>(0, bound)(random);
}

std::optional<schedule_spec> spec_of(const runtime::storage::schedule& s) {
  boost::system::error_code ec;
  auto body = json::parse(s.request, ec);
  if (ec || !body.is_object())
    return std::nullopt;
  auto spec = read_schedule_spec(body.as_object());
  if (auto* ok = std::get_if<schedule_spec>(&spec))
    return *ok;
  return std::nullopt;
}

} // namespace

actors::scan_submitted refusal(unsigned status, const char* code, const std::string& message,
                               const protocol::problems& details) {
  return {status, protocol::encode_error(code, message, details), 0};
}

std::variant<scan_request, actors::scan_submitted>
admitted_request(const json::value& body, const scan_policy& policy, std::size_t max_targets) {
  auto read = read_scan_request(body, max_targets);
  if (auto* problems = std::get_if<protocol::problems>(&read)) {
    const auto n = problems->size();
    return refusal(422, "invalid_request",
                   std::to_string(n) + (n == 1 ? " problem" : " problems") + " in the request body",
                   *problems);
  }
  auto request = std::get<scan_request>(std::move(read));
  protocol::problems refused;
  for (std::size_t i = 0; i < request.targets.size(); ++i) {
    auto admitted = admit(request.targets[i], policy);
    if (auto* why = std::get_if<std::string>(&admitted))
      refused.push_back(
          {protocol::index_path("targets", i), request.targets[i].text + ": " + *why});
    else
      request.targets[i] = std::get<target>(std::move(admitted));
  }
  if (!refused.empty()) {
    const auto n = refused.size();
    return refusal(403, "target_not_allowed",
                   std::to_string(n) + (n == 1 ? " target is" : " targets are") +
                       " outside what this cluster may scan",
                   refused);
  }
  return request;
}

std::string stored_request(const json::value& body, const scan_request& request,
                           std::size_t chunk_size, const std::string& schedule) {
  json::array addresses;
  for (const auto& t : request.targets)
    addresses.emplace_back(t.address);
  json::object stored{{"request", body},
                      {"addresses", std::move(addresses)},
                      {"chunk", static_cast<std::int64_t>(chunk_size)}};
  if (!schedule.empty())
    stored["schedule"] = schedule;
  return json::serialize(stored);
}

std::string new_job_id() {
  std::random_device random;
  char text[32];
  std::snprintf(text, sizeof text, "scan-%08x%08x", random(), random());
  return text;
}

std::variant<runtime::storage::schedule, actors::scan_submitted>
new_schedule(const actors::scan_submission& sub, const scan_policy& policy, std::size_t max_targets,
             const protocol::json_limits& limits, std::int64_t now) {
  auto parsed = protocol::parse_json(sub.body, limits);
  if (auto* err = std::get_if<protocol::json_error>(&parsed))
    return refusal(400, err->code.c_str(), err->message);
  const auto& body = std::get<json::value>(parsed);
  protocol::problems problems;
  schedule_spec spec;
  if (!body.is_object())
    return refusal(422, "invalid_request", "1 problem in the request body",
                   {{"", "expected an object"}});
  {
    auto read = read_schedule_spec(body.as_object());
    if (auto* bad = std::get_if<protocol::problems>(&read))
      problems = std::move(*bad);
    else
      spec = std::get<schedule_spec>(read);
    if (const auto* n = body.as_object().if_contains("name");
        n && !n->is_null() && (!n->is_string() || n->as_string().size() > max_name))
      problems.push_back(
          {"name", "expected a string of at most " + std::to_string(max_name) + " bytes"});
  }
  if (auto read = read_scan_request(body, max_targets);
      auto* bad = std::get_if<protocol::problems>(&read))
    problems.insert(problems.end(), bad->begin(), bad->end());
  if (!problems.empty()) {
    const auto n = problems.size();
    return refusal(422, "invalid_request",
                   std::to_string(n) + (n == 1 ? " problem" : " problems") + " in the request body",
                   problems);
  }
  if (auto targets = admitted_request(body, policy, max_targets);
      auto* refused = std::get_if<actors::scan_submitted>(&targets))
    return *refused;
  runtime::storage::schedule s;
  s.id = "sch-" + new_job_id().substr(5);
  s.name = text_at(body.as_object(), "name");
  s.request = json::serialize(body);
  s.owner = sub.owner;
  s.created_at = protocol::now_iso8601();
  const auto first = spec.cron ? next_due(spec, now) : std::optional<std::int64_t>(now);
  if (!first)
    return refusal(422, "invalid_request", "1 problem in the request body",
                   {{"cron", "names no time in the next five years"}});
  s.next_run = *first + random_below(spec.jitter);
  return s;
}

std::optional<std::int64_t> following_run(const runtime::storage::schedule& s, std::int64_t now) {
  const auto spec = spec_of(s);
  if (!spec)
    return std::nullopt;
  const auto next = next_due(*spec, now);
  if (!next)
    return std::nullopt;
  return *next + random_below(spec->jitter);
}

std::string run_job_id(const runtime::storage::schedule& s, std::int64_t due) {
  const auto digest =
      runtime::auth::to_hex(runtime::auth::sha256(s.id + "@" + std::to_string(due)));
  return "scan-" + digest.substr(0, 16);
}

std::string iso_time(std::int64_t seconds) {
  const auto t = static_cast<std::time_t>(seconds);
  std::tm utc{};
  gmtime_r(&t, &utc);
  char text[40];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S+00:00", &utc);
  return text;
}

void write_schedule(protocol::json_writer& out, const runtime::storage::schedule& s) {
  boost::system::error_code ec;
  auto body = json::parse(s.request, ec);
  const json::object none;
  const auto& b = !ec && body.is_object() ? body.as_object() : none;
  auto member = [&](const char* key) {
    out.key(key);
    const auto* v = b.if_contains(key);
    v ? out.value(*v) : out.null();
  };
  out.begin_object();
  out.key("id").value(s.id);
  out.key("name").value(s.name);
  member("targets");
  member("every");
  member("cron");
  member("jitter");
  member("options");
  out.key("owner");
  s.owner.empty() ? out.null() : out.value(s.owner);
  out.key("created_at").value(s.created_at);
  out.key("next_run").value(iso_time(s.next_run));
  out.key("last_run");
  if (s.last_scan.empty()) {
    out.null();
  } else {
    out.begin_object();
    out.key("scan_id").value(s.last_scan);
    out.key("started_at").value(s.last_run_at);
    out.key("links").begin_object();
    out.key("self").value("/v1/scans/" + s.last_scan);
    out.end_object();
    out.end_object();
  }
  out.key("links").begin_object();
  out.key("self").value("/v1/schedules/" + s.id);
  out.end_object();
  out.end_object();
}

} // namespace qs::scanner
