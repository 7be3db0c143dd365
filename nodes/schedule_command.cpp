#include "nodes/schedule_command.hpp"

#include <cstdlib>
#include <iostream>

#include <boost/json.hpp>

#include "runtime/http/client.hpp"

namespace qs::nodes {

namespace {

namespace json = boost::json;

const char* usage_text = R"(usage:
  qscan schedule add (--every INTERVAL | --cron "M H DOM MON DOW") [--jitter INTERVAL]
                     [--name NAME] [--timeout-ms N] TARGET...
      scans the targets (as `qscan scan` names them: tls://host:port, ssh://host:port,
      file:///path) on a schedule: INTERVAL is a number and s, m, h, d or w ("6h");
      cron fields are UTC; each run is delayed by up to the jitter at random
  qscan schedule list
      every schedule: its id, when it runs next, its latest run and its targets
  qscan schedule rm ID
      stops a schedule (its past runs stay)

Options for each (or the environment):
  --url URL          the bridge (QSCAN_URL, default http://127.0.0.1:8000)
  --api-key KEY      an admin key for add and rm, any key for list (QSCAN_API_KEY)
  --ca-file FILE     the CA that signed an https:// bridge's certificate (QSCAN_CA_FILE)
)";

int usage() {
  std::cerr << usage_text;
  return 2;
}

std::string env_or(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v && *v ? v : fallback;
}

/// The bridge's answer as JSON, or the exit status after saying what went wrong.
struct call_result {
  int status = 1;
  json::value body;
};

call_result call(runtime::http::client_request r, const std::string& key) {
  if (!key.empty())
    r.headers.emplace_back("Authorization", "Bearer " + key);
  auto answer = runtime::http::send_request(r);
  if (!answer) {
    std::cerr << "qscan schedule: " << answer.error().message << "\n";
    return {};
  }
  boost::system::error_code ec;
  auto body = answer->body.empty() ? json::value() : json::parse(answer->body, ec);
  if (answer->status >= 300) {
    std::cerr << "qscan schedule: " << r.method << " " << r.target << " answered "
              << answer->status;
    if (!ec && body.is_object() && body.as_object().contains("error")) {
      const auto& e = body.at("error").as_object();
      std::cerr << " " << json::value_to<std::string>(e.at("code")) << ": "
                << json::value_to<std::string>(e.at("message"));
      if (const auto* d = e.if_contains("details"); d && d->is_array())
        for (const auto& p : d->as_array())
          std::cerr << "\n  " << json::value_to<std::string>(p.at("path")) << ": "
                    << json::value_to<std::string>(p.at("problem"));
    }
    std::cerr << "\n";
    return {};
  }
  return {0, ec ? json::value() : std::move(body)};
}

std::string text(const json::value& v) {
  return v.is_string() ? std::string(v.as_string()) : "-";
}

void print_schedule(const json::value& s) {
  const auto& o = s.as_object();
  const auto when = o.at("every").is_string() ? "every " + text(o.at("every"))
                                              : "cron \"" + text(o.at("cron")) + "\"";
  std::cout << text(o.at("id")) << "  " << when << "  next " << text(o.at("next_run"));
  if (const auto& last = o.at("last_run"); last.is_object())
    std::cout << "  last " << text(last.at("scan_id")) << " at " << text(last.at("started_at"));
  if (auto name = text(o.at("name")); !name.empty() && name != "-")
    std::cout << "  \"" << name << "\"";
  std::cout << "\n   ";
  for (const auto& t : o.at("targets").as_array())
    std::cout << " " << text(t);
  std::cout << "\n";
}

} // namespace

int run_schedule(const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h")
    return args.empty() ? usage() : (std::cout << usage_text, 0);
  runtime::http::client_request r;
  r.base_url = env_or("QSCAN_URL", "http://127.0.0.1:8000");
  r.ca_file = env_or("QSCAN_CA_FILE", "");
  std::string key = env_or("QSCAN_API_KEY", "");
  json::object body;
  json::array targets;
  std::vector<std::string> positional;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const auto& a = args[i];
    const bool has_value = i + 1 < args.size();
    auto value = [&] { return args[++i]; };
    if (a == "--url" && has_value)
      r.base_url = value();
    else if (a == "--api-key" && has_value)
      key = value();
    else if (a == "--ca-file" && has_value)
      r.ca_file = value();
    else if ((a == "--every" || a == "--cron" || a == "--jitter" || a == "--name") && has_value)
      body[a.substr(2)] = value();
    else if (a == "--timeout-ms" && has_value)
      body["options"] = json::object{{"timeout_ms", std::atoll(value().c_str())}};
    else if (a.rfind("--", 0) == 0)
      return usage();
    else
      positional.push_back(a);
  }
  const auto& verb = args[0];
  if (verb == "add") {
    if (positional.empty())
      return usage();
    for (const auto& t : positional)
      targets.emplace_back(t);
    body["targets"] = std::move(targets);
    r.method = "POST";
    r.target = "/v1/schedules";
    r.body = json::serialize(body);
    auto got = call(r, key);
    if (got.status == 0)
      print_schedule(got.body);
    return got.status;
  }
  if (!body.empty())
    return usage();
  if (verb == "list" && positional.empty()) {
    r.target = "/v1/schedules";
    auto got = call(r, key);
    if (got.status == 0)
      for (const auto& s : got.body.at("schedules").as_array())
        print_schedule(s);
    return got.status;
  }
  if (verb == "rm" && positional.size() == 1) {
    r.method = "DELETE";
    r.target = "/v1/schedules/" + positional[0];
    auto got = call(r, key);
    if (got.status == 0)
      std::cout << "removed " << positional[0] << "\n";
    return got.status;
  }
  return usage();
}

} // namespace qs::nodes
