// The bridge's routes: every path of SEED_CONTRACT.md, bare and under the
// `/quantum` prefix, the original server's `/api/v1/...` aliases, and our own
// `/v1/...` routes. Pure: maps a path to a route, its allowed methods and whether
// it needs an admin key.
#pragma once

#include <string>
#include <string_view>

namespace qs::actors {

enum class route_id {
  predict,
  detect_anomalies,
  health,
  model_info,
  train,
  status,
  enhance,
  asset,
  asset_series,  ///< GET /v1/assets/{id}/series
  asset_changes, ///< GET /v1/assets/{id}/changes
  assets,        ///< GET /v1/assets
  overview,      ///< GET /v1/overview
  full_health,
  cluster,
  metrics,
  scans,      ///< POST /v1/scans (a new job), GET /v1/scans (the list)
  scan,       ///< GET /v1/scans/{id}
  scan_cbom,  ///< GET /v1/scans/{id}/cbom
  scan_sarif, ///< GET /v1/scans/{id}/sarif
  cve,        ///< GET /v1/cves/{id}
  schedules,  ///< GET, POST /v1/schedules
  schedule,   ///< GET, DELETE /v1/schedules/{id} (the id in scan_id)

  console_file, ///< GET /ui/..., /favicon.ico: the web console (actors/bridge/console.hpp)
  whoami,       ///< GET /v1/whoami: the caller's role, for the console
  not_found
};

struct route_match {
  route_id id = route_id::not_found;
  std::string name;       ///< stable label for metrics: "predict", "asset", ...
  std::string asset_id;   ///< for /v1/assets/{asset_id} and /v1/cves/{id}, percent-decoded
  const char* allow = ""; ///< the methods the route accepts ("GET, POST"), for 405's Allow
  std::string scan_id;    ///< for /v1/scans/{id}...
};

route_match match_route(std::string_view path);

/// `allow` ("GET, POST") with HEAD after GET: 405's Allow header.
std::string allowed_methods(std::string_view allow);
/// Whether `method` is one of `allow`'s (HEAD wherever GET is).
bool method_allowed(std::string_view allow, std::string_view method);
/// Whether the route needs an admin key for `method` (with keys on).
bool needs_admin(route_id id, std::string_view method);
/// Why a non-admin key is refused there.
const char* admin_refusal(route_id id);

} // namespace qs::actors
