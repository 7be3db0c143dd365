// The SSH inventory of one server: its identification line and KEXINIT (key
// exchange, host-key, cipher, MAC and compression algorithms, verbatim), and
// every host key, through one key exchange per host-key algorithm it offers
// (curve25519 where it can; no authentication is attempted: the probe stops at
// the server's key exchange reply, which carries the host key).
//
// Threads: a coroutine on the scanner's event loop.
#pragma once

#include <chrono>
#include <string>

#include "actors/scanner/net/tls_probe.hpp"
#include "actors/scanner/report.hpp"

namespace qs::scanner::net {

struct ssh_scan_options {
  std::chrono::milliseconds timeout{5000};
  std::size_t probes_at_once = 4; ///< OpenSSH drops unauthenticated connections past MaxStartups
};

struct ssh_scan_result {
  ssh_inventory inventory;
  probe_counts probes; ///< a key exchange reply is the server's signature
  std::string error;   ///< "connection refused", "not SSH: ...", "timed out"
};

ssh_scan_result scan_ssh(asio::any_io_executor ex, const tcp::endpoint& to,
                         const ssh_scan_options& options, yield y);

} // namespace qs::scanner::net
