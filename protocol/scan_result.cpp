#include "protocol/scan_result.hpp"

#include <algorithm>
#include <cctype>
#include <string>

namespace qs::protocol {

const boost::json::object& scan_result::metadata() const {
  static const boost::json::object none;
  auto it = document.find("metadata");
  return it != document.end() && it->value().is_object() ? it->value().get_object() : none;
}

const char* to_string(severity s) {
  switch (s) {
  case severity::info:
    return "info";
  case severity::low:
    return "low";
  case severity::medium:
    return "medium";
  case severity::high:
    return "high";
  case severity::critical:
    return "critical";
  }
  return "medium";
}

std::optional<severity> parse_severity(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower == "info" || lower == "informational" || lower == "information" || lower == "none")
    return severity::info;
  if (lower == "low")
    return severity::low;
  if (lower == "medium" || lower == "moderate")
    return severity::medium;
  if (lower == "high")
    return severity::high;
  if (lower == "critical")
    return severity::critical;
  return std::nullopt;
}

} // namespace qs::protocol
