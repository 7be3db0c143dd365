// Small builders for the bridge's HTTP answers: a JSON body with a status,
// and an error in the one shape every error uses.
#pragma once

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "protocol/answer_codec.hpp"
#include "runtime/http/message.hpp"

namespace qs::actors {

inline runtime::http::response json_response(unsigned status, std::string body) {
  runtime::http::response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

inline runtime::http::response error_response(unsigned status, std::string_view code,
                                              std::string_view message,
                                              const protocol::problems& details = {}) {
  return json_response(status, protocol::encode_error(code, message, details));
}

/// A whole number query parameter within [low, high], `fallback` when absent; or
/// the 400 that names it.
inline std::variant<std::int64_t, runtime::http::response>
number_param(const runtime::http::request& req, const char* name, std::int64_t fallback,
             std::int64_t low, std::int64_t high) {
  const auto text = req.query_param(name);
  if (text.empty())
    return fallback;
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value < low || value > high)
    return error_response(
        400, "invalid_request", "bad query parameter",
        {{std::string("query.") + name,
          "expected a whole number from " + std::to_string(low) + " to " + std::to_string(high)}});
  return value;
}

/// `offset` (0 by default) and `limit` (50 by default, at most `most`).
inline std::variant<std::pair<std::int64_t, std::int64_t>, runtime::http::response>
page_params(const runtime::http::request& req, std::int64_t most) {
  auto offset = number_param(req, "offset", 0, 0, std::numeric_limits<std::int32_t>::max());
  if (auto* bad = std::get_if<runtime::http::response>(&offset))
    return std::move(*bad);
  auto limit = number_param(req, "limit", std::min<std::int64_t>(50, most), 1, most);
  if (auto* bad = std::get_if<runtime::http::response>(&limit))
    return std::move(*bad);
  return std::pair(std::get<std::int64_t>(offset), std::get<std::int64_t>(limit));
}

} // namespace qs::actors
