// Small helpers of the bridge's HTTP handlers: a JSON body with a status, an error
// in the one shape every error uses, and reading what a request says (its
// Content-Type, its whole-number query parameters and page).
#pragma once

#include <algorithm>
#include <cctype>
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

/// Whether a Content-Type names JSON (or is absent: a body without one is read as JSON).
inline bool json_content_type(std::string_view value) {
  if (value.empty())
    return true; // lenient: a body without a declared type is read as JSON
  auto semi = value.find(';');
  auto media = value.substr(0, semi);
  while (!media.empty() && media.back() == ' ')
    media.remove_suffix(1);
  std::string lower(media);
  for (auto& c : lower)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower == "application/json" ||
         (lower.size() > 5 && lower.rfind("+json") == lower.size() - 5);
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
