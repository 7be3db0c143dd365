#include "actors/scanner/baseline.hpp"

#include <cctype>
#include <cstdio>
#include <set>

#include <boost/json/parse.hpp>

#include "actors/scanner/finding_groups.hpp"
#include "actors/scanner/fingerprint.hpp"
#include "actors/scanner/report_read.hpp"

namespace qs::scanner {

namespace json = boost::json;

namespace {

std::string file_uri(const std::string& path) {
  std::string out = "file://";
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

const json::value* member(const json::value& v, std::string_view key) {
  if (!v.is_object())
    return nullptr;
  return v.as_object().if_contains(key);
}

std::string text_of(const json::value* v) {
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

std::variant<baseline, std::string> from_sarif(const json::value& log) {
  const auto* runs = member(log, "runs");
  if (!runs || !runs->is_array())
    return std::string("a SARIF log without runs");
  baseline out;
  for (const auto& run : runs->as_array()) {
    const auto* results = member(run, "results");
    if (!results || !results->is_array())
      continue;
    for (const auto& r : results->as_array()) {
      if (text_of(member(r, "baselineState")) == "absent")
        continue; // gone already in that run
      const auto* prints = member(r, "partialFingerprints");
      baseline_finding f;
      f.fingerprint = text_of(prints ? member(*prints, fingerprint_key) : nullptr);
      if (f.fingerprint.empty())
        return std::string("a SARIF result without partialFingerprints.") + fingerprint_key +
               " (written by qscan before fingerprints, or by another tool)";
      f.rule = text_of(member(r, "ruleId"));
      const auto* message = member(r, "message");
      f.message = text_of(message ? member(*message, "text") : nullptr);
      const auto* properties = member(r, "properties");
      f.severity = text_of(properties ? member(*properties, "severity") : nullptr);
      if (const auto* locations = member(r, "locations");
          locations && locations->is_array() && !locations->as_array().empty()) {
        const auto* physical = member(locations->as_array().front(), "physicalLocation");
        const auto* artifact = physical ? member(*physical, "artifactLocation") : nullptr;
        f.uri = text_of(artifact ? member(*artifact, "uri") : nullptr);
        const auto* region = physical ? member(*physical, "region") : nullptr;
        const auto* line = region ? member(*region, "startLine") : nullptr;
        if (line && line->is_int64())
          f.line = static_cast<int>(line->as_int64());
      }
      out.emplace(f.fingerprint, std::move(f));
    }
  }
  return out;
}

} // namespace

std::string location_uri(const target_result& target, const finding& f) {
  return target.kind == target_kind::file ? file_uri(f.location) : target.target;
}

std::variant<baseline, std::string> read_baseline(std::string_view text) {
  boost::system::error_code ec;
  const auto v = json::parse(text, ec);
  if (ec)
    return "not JSON: " + ec.message();
  if (v.is_object())
    return from_sarif(v);
  auto read = read_results(text);
  if (auto* why = std::get_if<std::string>(&read))
    return "not a qscan json or sarif output: " + *why;
  baseline out;
  for (const auto& r : std::get<std::vector<target_result>>(read))
    for (const auto& g : group_findings(r.findings)) {
      const auto& f = g.summary;
      baseline_finding b{fingerprint(r, f),  f.rule, f.severity, f.message,
                         location_uri(r, f), f.line};
      out.emplace(b.fingerprint, std::move(b));
    }
  return out;
}

const char* to_string(baseline_state s) {
  switch (s) {
  case baseline_state::new_:
    return "new";
  case baseline_state::unchanged:
    return "unchanged";
  case baseline_state::updated:
    return "updated";
  case baseline_state::absent:
    return "absent";
  }
  return "new";
}

comparison compare(const std::vector<target_result>& results, const baseline& before) {
  comparison out;
  std::set<std::string> seen;
  for (const auto& r : results) {
    auto& states = out.states.emplace_back();
    for (const auto& g : group_findings(r.findings)) {
      const auto& f = g.summary;
      const auto fp = fingerprint(r, f);
      seen.insert(fp);
      const auto it = before.find(fp);
      states.push_back(it == before.end() ? baseline_state::new_
                       : it->second.severity == f.severity && it->second.message == f.message
                           ? baseline_state::unchanged
                           : baseline_state::updated);
    }
  }
  for (const auto& [fp, f] : before)
    if (!seen.count(fp))
      out.absent.push_back(f);
  return out;
}

} // namespace qs::scanner
