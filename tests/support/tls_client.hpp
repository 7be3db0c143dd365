// A blocking TLS client for tests (OpenSSL): connects to 127.0.0.1:port, does
// the handshake within the limits given (no certificate verification: the
// tests check the certificate's fingerprint themselves), sends bytes and reads
// what comes back until the server closes or the wait ends.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace qs::test {

struct tls_options {
  int min_version = 0; ///< TLS1_2_VERSION...; 0: OpenSSL's default
  int max_version = 0;
  std::string alpn; ///< e.g. "h2,http/1.1"; "" offers none
  std::chrono::milliseconds wait{5000};
};

struct tls_result {
  bool handshake = false;
  std::string error;       ///< why the handshake failed
  std::string protocol;    ///< "TLSv1.3"
  std::string alpn;        ///< the protocol the server chose, or ""
  std::string peer_sha256; ///< SHA-256 (hex) of the server's certificate
  std::string reply;       ///< every byte read after the request was sent
};

tls_result tls_exchange(std::uint16_t port, std::string_view request, const tls_options& o = {});

} // namespace qs::test
