#include "actors/cluster/scan_task_codec.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "actors/scanner/report_json.hpp"
#include "actors/scanner/report_read.hpp"
#include "protocol/json_writer.hpp"

namespace qs::actors::wire {

namespace json = boost::json;

std::string encode_scan_task(const scan_chunk& chunk) {
  protocol::json_writer out;
  out.begin_object();
  out.key("targets").begin_array();
  for (const auto& t : chunk.targets) {
    out.begin_object();
    out.key("target").value(t.text);
    out.key("address").value(t.address);
    out.end_object();
  }
  out.end_array();
  out.key("timeout_ms").value(static_cast<std::int64_t>(chunk.timeout.count()));
  out.key("probes_per_endpoint").value(static_cast<std::int64_t>(chunk.probes_per_endpoint));
  out.end_object();
  return out.release();
}

std::variant<scan_chunk, std::string> decode_scan_task(std::string_view text) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_object())
    return std::string("scan task is not a JSON object");
  const auto& o = v.get_object();
  scan_chunk chunk;
  const auto* targets = o.if_contains("targets");
  if (!targets || !targets->is_array())
    return std::string("scan task field \"targets\" must be an array");
  for (std::size_t i = 0; i < targets->get_array().size(); ++i) {
    const auto& item = targets->get_array()[i];
    const std::string at = "scan task field \"targets[" + std::to_string(i) + "]\"";
    const auto* text_v = item.is_object() ? item.get_object().if_contains("target") : nullptr;
    const auto* address = item.is_object() ? item.get_object().if_contains("address") : nullptr;
    if (!text_v || !text_v->is_string() || !address || !address->is_string())
      return at + " must be {\"target\": string, \"address\": string}";
    auto parsed = scanner::parse_target(std::string(text_v->get_string()));
    if (auto* why = std::get_if<std::string>(&parsed))
      return at + ": " + *why;
    auto t = std::get<scanner::target>(std::move(parsed));
    t.address = std::string(address->get_string());
    chunk.targets.push_back(std::move(t));
  }
  const auto number = [&](const char* key, std::int64_t low, std::int64_t high,
                          std::int64_t& into) -> std::string {
    const auto* n = o.if_contains(key);
    if (!n || !n->is_int64() || n->get_int64() < low || n->get_int64() > high)
      return std::string("scan task field \"") + key + "\" must be an integer from " +
             std::to_string(low) + " to " + std::to_string(high);
    into = n->get_int64();
    return "";
  };
  std::int64_t timeout = 0, probes = 0;
  if (auto why = number("timeout_ms", 1, 600000, timeout); !why.empty())
    return why;
  if (auto why = number("probes_per_endpoint", 1, 256, probes); !why.empty())
    return why;
  chunk.timeout = std::chrono::milliseconds(timeout);
  chunk.probes_per_endpoint = static_cast<std::size_t>(probes);
  return chunk;
}

std::string encode_scan_results(const std::vector<std::vector<scanner::target_result>>& results) {
  protocol::json_writer out;
  out.begin_array();
  for (const auto& per_target : results) {
    out.begin_array();
    for (const auto& r : per_target)
      scanner::write_result(out, r);
    out.end_array();
  }
  out.end_array();
  return out.release();
}

std::variant<std::vector<std::vector<scanner::target_result>>, std::string>
decode_scan_results(std::string_view text) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_array())
    return std::string("scan results are not a JSON array");
  std::vector<std::vector<scanner::target_result>> out;
  for (std::size_t i = 0; i < v.get_array().size(); ++i) {
    const auto& per_target = v.get_array()[i];
    if (!per_target.is_array())
      return "scan results[" + std::to_string(i) + "] must be an array";
    auto& into = out.emplace_back();
    for (std::size_t k = 0; k < per_target.get_array().size(); ++k) {
      auto r = scanner::read_result(per_target.get_array()[k]);
      if (auto* why = std::get_if<std::string>(&r))
        return "scan results[" + std::to_string(i) + "][" + std::to_string(k) + "]." + *why;
      into.push_back(std::move(std::get<scanner::target_result>(r)));
    }
  }
  return out;
}

namespace {

// The string members of a JSON object, or the first that is missing.
std::variant<std::vector<std::string>, std::string>
string_members(std::string_view text, const char* what, std::initializer_list<const char*> keys) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_object())
    return std::string(what) + " is not a JSON object";
  std::vector<std::string> out;
  for (const char* key : keys) {
    const auto* member = v.get_object().if_contains(key);
    if (!member || !member->is_string())
      return std::string(what) + " field \"" + key + "\" must be a string";
    out.emplace_back(member->get_string());
  }
  return out;
}

} // namespace

std::string encode_scan_submission(const scan_submission& sub) {
  return json::serialize(
      json::object{{"body", sub.body}, {"owner", sub.owner}, {"request_id", sub.request_id}});
}

std::variant<scan_submission, std::string> decode_scan_submission(std::string_view text) {
  auto members = string_members(text, "scan submission", {"body", "owner", "request_id"});
  if (auto* why = std::get_if<std::string>(&members))
    return *why;
  auto& m = std::get<0>(members);
  return scan_submission{std::move(m[0]), std::move(m[1]), std::move(m[2])};
}

std::string encode_scan_submitted(const scan_submitted& answer) {
  return json::serialize(json::object{
      {"status", answer.status}, {"retry_after", answer.retry_after}, {"body", answer.body}});
}

std::variant<scan_submitted, std::string> decode_scan_submitted(std::string_view text) {
  auto members = string_members(text, "scan answer", {"body"});
  if (auto* why = std::get_if<std::string>(&members))
    return *why;
  const auto v = json::parse(text);
  const auto* status = v.get_object().if_contains("status");
  const auto* retry = v.get_object().if_contains("retry_after");
  if (!status || !status->is_int64() || status->get_int64() < 100 || status->get_int64() > 599 ||
      !retry || !retry->is_int64())
    return std::string("scan answer fields \"status\" and \"retry_after\" must be integers");
  return scan_submitted{static_cast<unsigned>(status->get_int64()),
                        std::move(std::get<0>(members)[0]), static_cast<int>(retry->get_int64())};
}

} // namespace qs::actors::wire
