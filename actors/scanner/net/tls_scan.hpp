// The TLS inventory of one endpoint, in a few rounds of probes run side by
// side (within a per-endpoint limit), not one connection per fact in turn:
//   1. every protocol version (one ClientHello each), and the certificate
//      chains (OpenSSL handshakes restricted to RSA, RSA-PSS, ECDSA, Ed25519 and
//      Ed448 signatures, so a server with several chains shows each);
//   2. per accepted version, its cipher suites (offer, take out what the server
//      chose, offer again; three partitions of the list at once) and whether
//      the server imposes its order; TLS 1.3 groups one by one with a real key
//      share, then all of them with shares in two orders for the preference;
//      TLS 1.2 curves one by one (beside the certificate's curve, RFC 8422), the
//      DHE group, and signature schemes one by one (read in the clear from the
//      ServerKeyExchange; in TLS 1.3, where that is encrypted, through OpenSSL).
//
// Threads: a coroutine on the scanner's event loop.
#pragma once

#include <chrono>
#include <string>

#include "actors/scanner/net/tls_probe.hpp"
#include "actors/scanner/report.hpp"

namespace qs::scanner::net {

struct tls_scan_options {
  std::chrono::milliseconds timeout{5000}; ///< per connection
  std::size_t probes_at_once = 8;          ///< per endpoint
};

struct tls_scan_result {
  tls_inventory inventory;
  probe_counts probes;
  /// Set (and the inventory empty) when no version was accepted, saying why:
  /// "connection refused", "timed out", "not TLS: ...", "handshake_failure alert".
  std::string error;
};

tls_scan_result scan_tls(asio::any_io_executor ex, const tcp::endpoint& to, const std::string& sni,
                         const tls_scan_options& options, yield y);

} // namespace qs::scanner::net
