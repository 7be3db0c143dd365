// The TLS inventory of one endpoint, in a few rounds of probes run side by
// side (within a per-endpoint limit), not one connection per fact in turn.
// Most of a scan's cost is the server's own cryptography: a probe that gets a
// TLS 1.3 ServerHello makes the server compute a key share and sign
// (CertificateVerify), and one that gets an ephemeral TLS 1.2 suite makes it
// sign a ServerKeyExchange. The economical strategy (the default) learns the
// same facts with as few of those as it can:
//   1. every protocol version (one ClientHello each; TLS 1.3 without a key
//      share, answered with a HelloRetryRequest that costs the server nothing),
//      and, beside everything that follows until it needs the served keys, the
//      certificate chains (OpenSSL handshakes restricted to RSA, RSA-PSS,
//      ECDSA, Ed25519 and Ed448 signatures, so a server with several chains
//      shows each);
//   2. per accepted version, its cipher suites by elimination (offer, take out
//      what the server chose, offer again). Whether the server imposes its
//      order is asked first (the version probe beside one with the list
//      reversed); a server that does is enumerated in one sequence, which is
//      its order; one that follows the client in three partitions side by
//      side. TLS 1.3 suites come from HelloRetryRequests (RFC 8446 4.1.4: the
//      suite may not change after one). Every TLS 1.2 ServerKeyExchange read
//      on the way names a curve or DHE group and a signature scheme, and the
//      probes list the ones not yet seen first, so the server's signatures
//      for its suites also show most of its curves and schemes;
//      TLS 1.3 groups by elimination through HelloRetryRequests (offer every
//      group left without a share, take out the one the server asks for; three
//      kinds side by side), the rest with real shares in one last probe, and
//      the preference from shares for the two cheapest groups in both orders;
//   3. TLS 1.2 curves and signature schemes not seen yet: together while both
//      are left where the server keeps its own order (one signature shows one
//      of each), then each by elimination (a refusal costs the server nothing;
//      several schemes at a time); TLS 1.3 schemes (servers without TLS 1.2)
//      from the chains' handshakes, the rest by elimination through OpenSSL.
// A server that refuses a TLS 1.3 hello without a key share is probed with
// shares throughout, as before; TLS 1.3 seen only through HelloRetryRequests
// (no chain's handshake reached it) is confirmed with shares, or dropped. The
// thorough strategy (`economical = false`) is the one of before, kept to check
// the economical one against: TLS 1.3 with shares, each TLS 1.3 group and each
// signature scheme probed alone, the DHE group from a probe of its own.
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
  bool economical = true;                  ///< false: the thorough strategy
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
