#include "protocol/json_input.hpp"

#include <boost/json/error.hpp>
#include <boost/json/parser.hpp>

namespace qs::protocol {

std::variant<boost::json::value, json_error>
parse_json(std::string_view text, const json_limits& limits, boost::json::storage_ptr storage) {
  boost::json::parse_options options;
  options.max_depth = limits.max_depth;
  boost::json::parser parser({}, options);
  parser.reset(std::move(storage));
  boost::system::error_code ec;
  const std::size_t used = parser.write(text.data(), text.size(), ec);
  if (ec) {
    if (ec == boost::json::error::too_deep)
      return json_error{"too_deep", "JSON nested deeper than " + std::to_string(limits.max_depth) +
                                        " levels (near byte " + std::to_string(used) + ")"};
    return json_error{"malformed_json",
                      "malformed JSON at byte " + std::to_string(used) + ": " + ec.message()};
  }
  return parser.release();
}

} // namespace qs::protocol
