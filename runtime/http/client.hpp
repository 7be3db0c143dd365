// A blocking HTTP/1.1 client for the command line (`qscan schedule`): one request
// to an http:// or https:// base URL (certificates verified against the system's
// CAs, or a CA file), with a deadline. Not for the servers' hot paths.
#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "runtime/expected.hpp"

namespace qs::runtime::http {

struct client_request {
  std::string method = "GET";
  std::string base_url; ///< "http://127.0.0.1:8000" or "https://host:8443" (a path prefix kept)
  std::string target;   ///< "/v1/schedules"
  std::string body;     ///< sent as application/json when not empty
  std::vector<std::pair<std::string, std::string>> headers;
  std::string ca_file; ///< https: the CA to trust; "" for the system's
  std::chrono::milliseconds timeout{10000};
};

struct client_response {
  unsigned status = 0;
  std::string body;
};

/// The answer, or why there was none (bad URL, connection refused, TLS, deadline).
expected<client_response> send_request(const client_request& request);

} // namespace qs::runtime::http
