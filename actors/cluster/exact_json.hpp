// JSON parsing for the cluster wire that reads doubles exactly: Boost.JSON's value
// builder, except that each double is re-read from its text with std::from_chars
// (Boost 1.81 parses doubles fast but not always correctly rounded: about one
// shortest form in five came back one ulp off). Invalid UTF-8 is kept as sent, and
// nesting may go as deep as the deepest request the bridge accepts.
//
// Pure; any thread.
#pragma once

#include <cstddef>
#include <string_view>

#include <boost/json/storage_ptr.hpp>
#include <boost/json/value.hpp>

namespace qs::actors::wire {

/// The deepest request the bridge accepts (--max-depth up to 1024), plus the levels a
/// job wraps around a scan result's document.
constexpr std::size_t max_wire_depth = 1040;

/// The value of `text`; on failure `ec` is set and `at` is the byte it stopped at.
boost::json::value parse_exact(std::string_view text, boost::json::storage_ptr memory,
                               boost::json::error_code& ec, std::size_t& at);

} // namespace qs::actors::wire
