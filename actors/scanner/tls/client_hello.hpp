// Writes a ClientHello of the scanner's own (RFC 8446 4.1.2, RFC 5246 7.4.1.2),
// so it can offer any version, suite, group or signature scheme, including those
// OpenSSL 3.0 does not (SSLv3 to TLS 1.1 suites, ML-KEM and hybrid groups).
// Pure: bytes out, nothing kept.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace qs::scanner::tls {

struct client_hello_offer {
  std::uint16_t legacy_version = 0x0303; ///< ClientHello.legacy_version (the maximum below 1.3)
  std::vector<std::uint16_t> versions;   ///< supported_versions; empty: no extension
  std::vector<std::uint16_t> suites;
  std::vector<std::uint16_t> groups;            ///< supported_groups; empty: no extension
  std::vector<std::uint16_t> key_share_groups;  ///< those of `groups` that get a share
  std::vector<std::uint16_t> signature_schemes; ///< signature_algorithms; empty: none
  std::string server_name;                      ///< SNI; "" (or an IP address) sends none
  std::vector<std::string> alpn;                ///< e.g. {"h2", "http/1.1"}; empty: none
};

/// The ClientHello in TLS records (split at 16 KiB, as a ClientHello with large
/// post-quantum key shares may need), ready to send.
std::string client_hello_records(const client_hello_offer& offer);

/// The handshake message alone (type, length, body), as the records carry it.
std::string client_hello_message(const client_hello_offer& offer);

} // namespace qs::scanner::tls
