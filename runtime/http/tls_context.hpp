// The TLS settings of the HTTP server: TLS 1.2 and 1.3 only, forward-secret
// AEAD suites in TLS 1.2 in the server's order, no compression or
// renegotiation, ALPN http/1.1. Built from a PEM certificate chain and key.
#pragma once

#include <memory>
#include <string>

#include <boost/asio/ssl/context.hpp>

#include "runtime/expected.hpp"
#include "runtime/http/errc.hpp"

namespace qs::runtime::http {

/// The context, or why not: errc::tls_files when the files cannot serve
/// (unreadable, not PEM, key does not match the certificate), errc::tls_setup when
/// OpenSSL refuses the settings above. Never quotes the key.
qs::expected<std::shared_ptr<boost::asio::ssl::context>>
make_tls_context(const std::string& cert_file, const std::string& key_file);

} // namespace qs::runtime::http
