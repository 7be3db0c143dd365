// Plain HTTP request/response values passed between the HTTP server (Beast,
// hidden in one translation unit) and the handlers that know the routes.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace qs::runtime::http {

struct request {
  std::string method; ///< "GET", "POST", ...
  std::string target; ///< path and query as sent: "/v1/assets/a?limit=5"
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string remote_address; ///< peer IP, for rate limits and logs
  std::string id;             ///< request id the server gave it, sent back as X-Request-Id

  /// First header with this name (case-insensitive); "" when absent.
  std::string_view header(std::string_view name) const;
  /// Path without the query string.
  std::string_view path() const;
  /// Query parameter value, percent-decoded; "" when absent.
  std::string query_param(std::string_view name) const;
};

/// Decodes `%XX` escapes (and `+` as a space when `plus_as_space`, as in
/// query strings); a malformed escape is kept as written.
std::string percent_decode(std::string_view text, bool plus_as_space = false);

struct response {
  unsigned status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers; ///< extra headers
  std::string route; ///< label for metrics ("predict", ...); not sent
};

/// A fresh request id, unique across this process's life and its restarts
/// ("req-<random>-<counter>"). Thread-safe.
std::string next_request_id();

} // namespace qs::runtime::http
