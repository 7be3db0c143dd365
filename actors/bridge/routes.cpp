#include "actors/bridge/routes.hpp"

#include <array>

namespace qs::actors {

namespace {

struct entry {
  std::string_view path;
  route_id id;
  const char* name;
  const char* allow;
};

constexpr std::array<entry, 17> table = {{
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
    {"/metrics", route_id::metrics, "metrics", "GET"},
    {"/health", route_id::health, "health", "GET"},
    {"/healthz", route_id::health, "health", "GET"},
    {"/v1/status", route_id::status, "status", "GET"},
}};

int hex_digit(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

} // namespace

std::string percent_decode(std::string_view text, bool plus_as_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      const int hi = hex_digit(text[i + 1]), lo = hex_digit(text[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(plus_as_space && text[i] == '+' ? ' ' : text[i]);
  }
  return out;
}

route_match match_route(std::string_view path) {
  constexpr std::string_view prefix = "/quantum";
  if (path.substr(0, prefix.size()) == prefix &&
      (path.size() == prefix.size() || path[prefix.size()] == '/'))
    path.remove_prefix(prefix.size());
  while (path.size() > 1 && path.back() == '/')
    path.remove_suffix(1);
  for (const auto& e : table)
    if (e.path == path)
      return {e.id, e.name, {}, e.allow};
  constexpr std::string_view assets = "/v1/assets/";
  if (path.substr(0, assets.size()) == assets && path.size() > assets.size()) {
    auto id = path.substr(assets.size());
    if (id.find('/') == std::string_view::npos)
      return {route_id::asset, "asset", percent_decode(id), "GET"};
  }
  return {route_id::not_found, "not-found", {}, ""};
}

} // namespace qs::actors
