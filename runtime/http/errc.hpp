// The error codes of the HTTP module (runtime/http): what a caller that starts a
// server, reloads its TLS files or sends a client request can act on. The message beside a code
// says what failed, with context ("cannot bind 127.0.0.1:8000: Address already in
// use").
#pragma once

#include <system_error>

#include "runtime/expected.hpp"

namespace qs::runtime::http {

enum class errc {
  bad_address = 1, ///< the host to listen on is malformed or cannot be resolved
  bind_failed,     ///< the address cannot be bound (in use, not this host's, no permission)
  tls_files,       ///< the TLS certificate or key cannot serve (missing, unreadable, mismatched)
  tls_setup,       ///< OpenSSL refused this server's TLS settings (a build without them)
  bad_url,         ///< a client's URL is not http:// or https:// with a host
  unreachable,     ///< a client found no answer (resolution, connection, TLS, deadline)
};

inline std::error_code make_error_code(errc e) {
  return {static_cast<int>(e), category_of<errc>()};
}

} // namespace qs::runtime::http

namespace std {
template<> struct is_error_code_enum<qs::runtime::http::errc> : true_type {};
} // namespace std

namespace qs {
template<> struct error_domain<runtime::http::errc> {
  static constexpr const char* name = "http";
  static const char* describe(runtime::http::errc e) {
    static const char* const names[] = {"bad_address", "bind_failed", "tls_files",
                                        "tls_setup",   "bad_url",     "unreachable"};
    return code_name(e, names);
  }
};
} // namespace qs
