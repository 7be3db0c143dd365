// JSON parsing that reads doubles exactly: Boost.JSON's value builder, except that each
// double is re-read from its text with std::from_chars (Boost 1.81 parses doubles fast
// but not always correctly rounded: about one shortest form in five came back one ulp
// off). Invalid UTF-8 is kept as sent, and nesting may go as deep as the wire allows.
// The wire itself carries doubles as float64 now; this turns a scanner's result, which
// the scanner writes as JSON text, into the document that travels
// (scan_task_codec.cpp).
//
// Pure; any thread.
#pragma once

#include <cstddef>
#include <string_view>

#include <boost/json/storage_ptr.hpp>
#include <boost/json/value.hpp>

#include "protocol/envelope.hpp"

namespace qs::actors::wire {

using protocol::max_wire_depth;

/// The value of `text`; on failure `ec` is set and `at` is the byte it stopped at.
boost::json::value parse_exact(std::string_view text, boost::json::storage_ptr memory,
                               boost::json::error_code& ec, std::size_t& at);

} // namespace qs::actors::wire
