// A JSON document as a CBOR value (docs/protocol.md, "Documents"): a scan result's
// document, the cluster view, a scanner's results travel as values, never as JSON
// text inside another message.
//
// A boost::json::value round-trips exactly as Boost.JSON holds it: objects are maps
// with text keys in their order, arrays, strings (their bytes as given), booleans,
// null; int64 as an integer, double as a float64 (NaN and infinities included), and
// uint64 as an unsigned integer, tagged `uint64_tag` when its value would fit an
// int64 (Boost.JSON's parser makes uint64 only above INT64_MAX, but code may make
// one of any value). A value JSON cannot hold (a byte string, another tag, a map key
// that is not text, a key twice in one map) is a bad field at its path.
//
// Pure functions; any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "protocol/cbor.hpp"

namespace qs::protocol {

/// Marks a uint64 whose value fits an int64 (a private tag, first-come-first-served
/// range of the IANA registry).
constexpr std::uint64_t uint64_tag = 0x71730001;

void write_json(cbor::writer& out, const boost::json::value& v);
void write_json(cbor::writer& out, const boost::json::object& o);

/// Reads one item into `out`; false (the problem kept in `in`) when it is not JSON.
bool read_json(cbor::reader& in, boost::json::value& out);
/// The same, for an item that must be a map.
bool read_json(cbor::reader& in, boost::json::object& out);

/// Encodes a document alone.
std::string json_to_cbor(const boost::json::value& v);
/// Decodes a whole input as one document; errors name `root`.
qs::expected<boost::json::value> json_from_cbor(std::string_view bytes, std::string_view root,
                                                std::size_t max_depth = 64);

} // namespace qs::protocol
