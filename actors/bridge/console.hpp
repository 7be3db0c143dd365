// The web console's routes: the static files of actors/bridge/console/ at
// `/ui/` (`/ui` redirects there), `/favicon.ico`, and `GET /v1/whoami`, which
// tells the page what its key may do. Pure functions of the request; thread-safe.
//
// The files are public (the page must load before it can ask for a key); the
// data calls they make carry the key. Every file is answered with a strict
// Content-Security-Policy (no inline script or style, nothing from another
// host), `nosniff`, `Referrer-Policy: no-referrer`, an ETag (304 when
// If-None-Match names it) and `Cache-Control: no-cache`.
#pragma once

#include <optional>
#include <string_view>

#include "actors/bridge/routes.hpp"
#include "runtime/auth/api_keys.hpp"
#include "runtime/http/message.hpp"

namespace qs::actors::console {

/// The Content-Security-Policy every console file is served with.
inline constexpr std::string_view content_security_policy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The console route of `path` (without any `/quantum` prefix, trailing
/// slashes kept: `/ui` and `/ui/` differ), or none.
std::optional<route_match> match(std::string_view path);

/// True when a request of this route needs no key: the console's files, and
/// `/v1/whoami` asked without one (it then answers `"role": "none"`; a key
/// that is sent is checked like on any other route).
bool is_public(route_id id, const runtime::http::request& req);

/// The answer to GET (or HEAD) of a console path, as received (a `/quantum`
/// prefix is allowed): the file (or 304 when `if_none_match` names its ETag),
/// a redirect from `/ui` to `/ui/`, or a 404.
runtime::http::response serve(std::string_view path, std::string_view if_none_match);

/// GET /v1/whoami: `{"role": "open"}` without keys, else `"none"` (no key
/// presented), `"read"` or `"admin"`.
runtime::http::response whoami(bool keys_required, const runtime::auth::api_key* key);

} // namespace qs::actors::console
