// The framing rules of RFC 9112 that decide how a request is read, checked
// before a single body byte is: Transfer-Encoding, Content-Length beside it,
// Host, and the request target's form. Pure functions over the header's text;
// the request reader applies them once the header is complete.
//
// Why they matter: a front proxy and this server must agree where a request
// ends, or the rest of one request is read as the next (request smuggling).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace qs::runtime::http {

/// Why a request cannot be read, as the answer that says so. The connection is
/// always closed after it.
struct framing_error {
  unsigned status = 400;
  std::string code = "bad_request";
  std::string message;
};

/// The Transfer-Encoding field lines of a request, in order, and whether a
/// Content-Length came with them. nullopt when the body may be read (chunked
/// last and once, nothing else, HTTP/1.1, no Content-Length); otherwise 400, or
/// 501 for a coding this server does not decode (gzip before chunked, say).
std::optional<framing_error> check_transfer_encoding(const std::vector<std::string>& values,
                                                     bool has_content_length,
                                                     unsigned http_version);

/// The Host field lines: an HTTP/1.1 request has exactly one; an HTTP/1.0 one
/// at most one; each a valid uri-host[:port] (or empty).
std::optional<framing_error> check_host(const std::vector<std::string>& values,
                                        unsigned http_version);

/// The request target in origin form ("/path?query"): an absolute-form target
/// ("http://host:port/path?q") becomes its path and query, "*" stays as it is
/// (OPTIONS only). Anything else is an error.
struct target_form {
  std::string origin;    ///< "/path?query", or "*"
  std::string authority; ///< "host:port" of an absolute-form target, else ""
};
std::variant<target_form, framing_error> origin_form(std::string_view target,
                                                     std::string_view method);

} // namespace qs::runtime::http
