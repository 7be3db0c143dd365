#include "actors/bridge/routes.hpp"

#include <algorithm>
#include <array>
#include <tuple>

#include "actors/bridge/console.hpp"
#include "runtime/http/message.hpp"

namespace qs::actors {

namespace {

struct entry {
  std::string_view path;
  route_id id;
  const char* name;
  const char* allow;
};

constexpr std::array<entry, 22> table = {{
    {"/ai-threat-predictor/predict", route_id::predict, "predict", "POST"},
    {"/api/v1/ai-threat-predictor/predict", route_id::predict, "predict", "POST"},
    {"/ai-threat-predictor/detect-anomalies", route_id::detect_anomalies, "detect-anomalies",
     "POST"},
    {"/api/v1/ai-threat-predictor/anomalies", route_id::detect_anomalies, "detect-anomalies",
     "POST"},
    {"/ai-threat-predictor/health", route_id::health, "health", "GET"},
    {"/api/v1/ai-threat-predictor/health", route_id::health, "health", "GET"},
    {"/ai-threat-predictor/model-info", route_id::model_info, "model-info", "GET"},
    {"/api/v1/ai-threat-predictor/model/info", route_id::model_info, "model-info", "GET"},
    {"/ai-threat-predictor/train", route_id::train, "train", "POST"},
    {"/api/v1/ai-threat-predictor/model/train", route_id::train, "train", "POST"},
    {"/status", route_id::status, "status", "GET"},
    {"/v1/enhance", route_id::enhance, "enhance", "POST"},
    {"/v1/health", route_id::full_health, "full-health", "GET"},
    {"/v1/cluster", route_id::cluster, "cluster", "GET"},
    {"/metrics", route_id::metrics, "metrics", "GET"},
    {"/health", route_id::health, "health", "GET"},
    {"/healthz", route_id::health, "health", "GET"},
    {"/v1/status", route_id::status, "status", "GET"},
    {"/v1/scans", route_id::scans, "scans", "GET, POST"},
    {"/v1/assets", route_id::assets, "assets", "GET"},
    {"/v1/overview", route_id::overview, "overview", "GET"},
    {"/v1/schedules", route_id::schedules, "schedules", "GET, POST"},
}};

} // namespace

std::string allowed_methods(std::string_view allow) {
  std::string out(allow);
  if (auto get = out.find("GET"); get != std::string::npos)
    out.insert(get + 3, ", HEAD");
  return out;
}

bool method_allowed(std::string_view allow, std::string_view method) {
  if (method == "HEAD")
    method = "GET";
  for (std::size_t at = 0; at < allow.size();) {
    const auto end = std::min(allow.find(", ", at), allow.size());
    if (allow.substr(at, end - at) == method)
      return true;
    at = end + 2;
  }
  return false;
}

// Reading scan jobs, their reports and schedules needs a read key, like every
// asset's history.
bool needs_admin(route_id id, std::string_view method) {
  return id == route_id::train || id == route_id::cluster ||
         ((id == route_id::scans || id == route_id::schedules) && method == "POST") ||
         (id == route_id::schedule && method == "DELETE");
}

const char* admin_refusal(route_id id) {
  switch (id) {
  case route_id::train:
    return "training needs an admin key";
  case route_id::cluster:
    return "the cluster view needs an admin key";
  case route_id::schedules:
  case route_id::schedule:
    return "changing schedules needs an admin key";
  default:
    return "scans need an admin key";
  }
}

route_match match_route(std::string_view path) {
  constexpr std::string_view prefix = "/quantum";
  if (path.substr(0, prefix.size()) == prefix &&
      (path.size() == prefix.size() || path[prefix.size()] == '/'))
    path.remove_prefix(prefix.size());
  if (auto page = console::match(path))
    return *page;
  while (path.size() > 1 && path.back() == '/')
    path.remove_suffix(1);
  for (const auto& e : table)
    if (e.path == path)
      return {e.id, e.name, {}, e.allow, {}};
  constexpr std::string_view assets = "/v1/assets/";
  if (path.substr(0, assets.size()) == assets && path.size() > assets.size()) {
    auto id = path.substr(assets.size());
    if (id.find('/') == std::string_view::npos)
      return {route_id::asset, "asset", runtime::http::percent_decode(id), "GET", {}};
    for (const auto& [tail, rid, name] :
         {std::tuple{std::string_view("/series"), route_id::asset_series, "asset-series"},
          std::tuple{std::string_view("/changes"), route_id::asset_changes, "asset-changes"}})
      if (id.size() > tail.size() && id.substr(id.size() - tail.size()) == tail &&
          id.substr(0, id.size() - tail.size()).find('/') == std::string_view::npos)
        return {rid,
                name,
                runtime::http::percent_decode(id.substr(0, id.size() - tail.size())),
                "GET",
                {}};
  }
  constexpr std::string_view cves = "/v1/cves/";
  if (path.substr(0, cves.size()) == cves && path.size() > cves.size()) {
    auto id = path.substr(cves.size());
    if (id.find('/') == std::string_view::npos)
      return {route_id::cve, "cve", runtime::http::percent_decode(id), "GET", {}};
  }
  constexpr std::string_view scans = "/v1/scans/";
  if (path.substr(0, scans.size()) == scans && path.size() > scans.size()) {
    auto rest = path.substr(scans.size());
    const auto slash = rest.find('/');
    const std::string id(rest.substr(0, slash));
    const auto tail = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash);
    route_match m{route_id::not_found, "not-found", {}, "GET", id};
    if (tail.empty())
      m.id = route_id::scan, m.name = "scan";
    else if (tail == "/cbom")
      m.id = route_id::scan_cbom, m.name = "scan-cbom";
    else if (tail == "/sarif")
      m.id = route_id::scan_sarif, m.name = "scan-sarif";
    if (m.id != route_id::not_found)
      return m;
  }
  constexpr std::string_view schedules = "/v1/schedules/";
  if (path.substr(0, schedules.size()) == schedules && path.size() > schedules.size() &&
      path.find('/', schedules.size()) == std::string_view::npos)
    return {route_id::schedule,
            "schedule",
            {},
            "GET, DELETE",
            std::string(path.substr(schedules.size()))};
  return {route_id::not_found, "not-found", {}, "", {}};
}

} // namespace qs::actors
