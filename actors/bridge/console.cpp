#include "actors/bridge/console.hpp"

#include "actors/bridge/console_files.hpp"
#include "actors/bridge/responses.hpp"
#include "protocol/json_writer.hpp"

namespace qs::actors::console {

namespace http = runtime::http;

namespace {

constexpr std::string_view ui = "/ui";
constexpr std::string_view favicon = "/favicon.ico";

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

std::string_view without_prefix(std::string_view path) {
  constexpr std::string_view prefix = "/quantum";
  if (starts_with(path, prefix) && (path.size() == prefix.size() || path[prefix.size()] == '/'))
    path.remove_prefix(prefix.size());
  return path;
}

const embedded_file* find(std::string_view name) {
  for (std::size_t i = 0; i < embedded_file_count; ++i)
    if (embedded_files[i].name == name)
      return &embedded_files[i];
  return nullptr;
}

// The headers every console answer carries, files and redirects alike.
void add_page_headers(http::response& r) {
  r.headers.emplace_back("Content-Security-Policy", std::string(content_security_policy));
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.headers.emplace_back("Referrer-Policy", "no-referrer");
  r.headers.emplace_back("X-Frame-Options", "DENY");
}

// True when an If-None-Match value names `etag` (or is "*"); weak forms match too.
bool names_etag(std::string_view if_none_match, std::string_view etag) {
  if (if_none_match.empty())
    return false;
  if (if_none_match.find('*') != std::string_view::npos)
    return true;
  return if_none_match.find(etag) != std::string_view::npos;
}

} // namespace

std::optional<route_match> match(std::string_view path) {
  if (path == ui || starts_with(path, "/ui/") || path == favicon)
    return route_match{route_id::console_file, "console", {}, "GET", {}};
  if (path == "/v1/whoami" || path == "/v1/whoami/")
    return route_match{route_id::whoami, "whoami", {}, "GET", {}};
  return std::nullopt;
}

bool is_public(route_id id, const http::request& req) {
  if (id == route_id::console_file)
    return true;
  return id == route_id::whoami && req.header("Authorization").empty() &&
         req.header("X-API-Key").empty();
}

http::response serve(std::string_view path, std::string_view if_none_match) {
  path = without_prefix(path);
  http::response r;
  add_page_headers(r);
  if (path == ui) { // relative, so that /quantum/ui goes to /quantum/ui/
    r.status = 308;
    r.content_type = "text/plain; charset=utf-8";
    r.headers.emplace_back("Location", "ui/");
    r.body = "the console is at ui/\n";
    return r;
  }
  std::string_view name;
  if (path == favicon)
    name = "favicon.ico";
  else if (starts_with(path, "/ui/"))
    name = path.substr(4);
  if (name.empty())
    name = "index.html";
  const auto* file = find(name);
  if (!file) {
    auto missing = error_response(404, "not_found", "no console file " + std::string(path));
    add_page_headers(missing);
    return missing;
  }
  r.content_type = std::string(file->content_type);
  r.headers.emplace_back("ETag", std::string(file->etag));
  r.headers.emplace_back("Cache-Control", "no-cache");
  if (names_etag(if_none_match, file->etag)) {
    r.status = 304;
    return r;
  }
  r.body = std::string(file->body);
  return r;
}

http::response whoami(bool keys_required, const runtime::auth::api_key* key) {
  protocol::json_writer out;
  out.begin_object();
  out.key("role").value(!keys_required ? "open" : !key ? "none" : key->admin ? "admin" : "read");
  out.key("keys_required").value(keys_required);
  if (key)
    out.key("key_name").value(key->name);
  out.end_object();
  return json_response(200, out.release());
}

} // namespace qs::actors::console
