// The error codes of the cluster wire (protocol/): what a receiver found wrong with
// the bytes it got. The message beside a code says where and what
// ("job.results[3].asset_id: expected a text string, got an array").
//
// Codes cross the wire (docs/protocol.md, "Errors"): append only, never renumber.
#pragma once

#include <system_error>

#include "runtime/expected.hpp"

namespace qs::protocol {

enum class wire_errc {
  malformed = 1,        ///< not a message: wrong frames, or bytes that are not CBOR of the subset
  version_mismatch = 2, ///< the peer speaks another protocol version
  unknown_type = 3,     ///< a message type code this node does not know
  bad_field = 4,        ///< well-formed, but a field is missing, of the wrong type or out of range
  unexpected = 5,       ///< a message this end never receives (a TASK sent to the coordinator)
  unknown_domain = 6,   ///< an error from a peer in a domain this node does not know
};

inline std::error_code make_error_code(wire_errc e) {
  return {static_cast<int>(e), category_of<wire_errc>()};
}

} // namespace qs::protocol

namespace std {
template<> struct is_error_code_enum<qs::protocol::wire_errc> : true_type {};
} // namespace std

namespace qs {
template<> struct error_domain<protocol::wire_errc> {
  static constexpr const char* name = "wire";
  static const char* describe(protocol::wire_errc e) {
    static const char* const names[] = {"malformed", "version_mismatch", "unknown_type",
                                        "bad_field", "unexpected",       "unknown_domain"};
    return code_name(e, names);
  }
};
} // namespace qs
