// Parses a request body into a Boost.JSON value with limits: nesting depth (an
// attacker's 100,000 '[' is an error, never a stack overflow), valid UTF-8,
// no trailing garbage. Errors are sentences naming the offset.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>

#include <boost/json/value.hpp>

namespace qs::protocol {

struct json_limits {
  std::size_t max_depth = 64;
};

struct json_error {
  std::string code;    ///< "malformed_json" or "too_deep"
  std::string message; ///< "malformed JSON at byte 17: syntax error"
};

/// The value's memory comes from `storage` (the default allocator unless
/// given): a request body parsed into one monotonic resource is allocated in a
/// few blocks and freed at once when its last value goes.
std::variant<boost::json::value, json_error> parse_json(std::string_view text,
                                                        const json_limits& limits = {},
                                                        boost::json::storage_ptr storage = {});

} // namespace qs::protocol
