#include <catch2/catch.hpp>

#include <string>

#include "actors/bridge/console.hpp"
#include "actors/bridge/console_files.hpp"
#include "actors/bridge/routes.hpp"

using namespace qs::actors;

namespace {

std::string header(const qs::runtime::http::response& r, const std::string& name) {
  for (const auto& [n, v] : r.headers)
    if (n == name)
      return v;
  return {};
}

} // namespace

TEST_CASE("the console's paths are routed bare and under /quantum, /ui apart from /ui/",
          "[console]") {
  CHECK(match_route("/ui").id == route_id::console_file);
  CHECK(match_route("/ui/").id == route_id::console_file);
  CHECK(match_route("/quantum/ui/app.js").id == route_id::console_file);
  CHECK(match_route("/favicon.ico").id == route_id::console_file);
  CHECK(match_route("/v1/whoami").id == route_id::whoami);
  CHECK(std::string(match_route("/ui/").allow) == "GET");
  CHECK(match_route("/uix").id == route_id::not_found);
}

TEST_CASE("every console file is served with its type, an ETag and a strict policy", "[console]") {
  REQUIRE(console::embedded_file_count >= 3);
  for (std::size_t i = 0; i < console::embedded_file_count; ++i) {
    const auto& f = console::embedded_files[i];
    INFO(f.name);
    const auto r = console::serve("/ui/" + std::string(f.name), "");
    CHECK(r.status == 200);
    CHECK(r.content_type == f.content_type);
    CHECK(r.body == f.body);
    CHECK(header(r, "ETag") == f.etag);
    CHECK(header(r, "Cache-Control") == "no-cache");
    CHECK(header(r, "Content-Security-Policy") == console::content_security_policy);
    CHECK(header(r, "X-Content-Type-Options") == "nosniff");
    CHECK(header(r, "Referrer-Policy") == "no-referrer");
    CHECK(console::serve("/ui/" + std::string(f.name), f.etag).status == 304);
  }
}

TEST_CASE("the console's index, redirect, icon and missing files", "[console]") {
  const auto index = console::serve("/ui/", "");
  CHECK(index.status == 200);
  CHECK(index.content_type == "text/html; charset=utf-8");
  CHECK(index.body.find("<script type=\"module\" src=\"app.js\">") != std::string::npos);
  CHECK(console::serve("/quantum/ui/", "").body == index.body);
  CHECK(console::serve("/ui/", "W/" + header(index, "ETag") + ", \"other\"").status == 304);
  CHECK(console::serve("/ui/", "\"other\"").status == 200);

  const auto moved = console::serve("/ui", "");
  CHECK(moved.status == 308);
  CHECK(header(moved, "Location") == "ui/");

  const auto icon = console::serve("/favicon.ico", "");
  CHECK(icon.status == 200);
  CHECK(icon.content_type == "image/x-icon");
  CHECK(icon.body.substr(0, 4) == std::string("\0\0\1\0", 4));

  const auto missing = console::serve("/ui/nothing.js", "");
  CHECK(missing.status == 404);
  CHECK(header(missing, "Content-Security-Policy") == console::content_security_policy);
}

TEST_CASE("whoami names the caller's role, and needs no key to say there is none", "[console]") {
  qs::runtime::auth::api_key admin, reader;
  admin.name = "ops";
  admin.admin = true;
  reader.name = "scorpius";
  CHECK(console::whoami(false, nullptr).body == R"({"role":"open","keys_required":false})");
  CHECK(console::whoami(true, nullptr).body == R"({"role":"none","keys_required":true})");
  CHECK(console::whoami(true, &admin).body ==
        R"({"role":"admin","keys_required":true,"key_name":"ops"})");
  CHECK(console::whoami(true, &reader).body.find(R"("role":"read")") != std::string::npos);

  qs::runtime::http::request bare{"GET", "/v1/whoami", {}, "", "127.0.0.1", ""};
  CHECK(console::is_public(route_id::whoami, bare));
  auto keyed = bare;
  keyed.headers.emplace_back("Authorization", "Bearer x");
  CHECK_FALSE(console::is_public(route_id::whoami, keyed));
  CHECK(console::is_public(route_id::console_file, keyed));
  CHECK_FALSE(console::is_public(route_id::asset, bare));
}
