// One TLS probe: a TCP connection that sends a ClientHello of the scanner's own
// and reads the server's answer up to what the probe needs (the ServerHello,
// or in TLS 1.2 and earlier the whole first flight up to ServerHelloDone), or
// a normal OpenSSL handshake (for the certificate chain TLS 1.3 encrypts, and
// for what only a finished TLS 1.3 handshake shows). Every wait has the
// probe's timeout; every failure is a sentence ("connection refused", "timed
// out", "not TLS: ...", "handshake_failure alert").
//
// Threads: coroutines on the scanner's event loop.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <boost/asio/ip/tcp.hpp>

#include "actors/scanner/net/coroutines.hpp"
#include "actors/scanner/tls/handshake_reader.hpp"
#include "actors/scanner/tls/server_messages.hpp"

namespace qs::scanner::net {

using tcp = asio::ip::tcp;

/// A connected socket, or why not ("connection refused", "timed out", ...).
std::variant<tcp::socket, std::string> connect(asio::any_io_executor ex, const tcp::endpoint& to,
                                               std::chrono::milliseconds timeout, yield y);

enum class read_until { server_hello, server_hello_done };

struct hello_answer {
  std::optional<tls::server_hello> hello;
  std::vector<tls::handshake_message> after; ///< clear-text messages after the ServerHello
  std::optional<tls::tls_alert> alert;
  std::string error; ///< "" when a ServerHello came
};

hello_answer send_client_hello(asio::any_io_executor ex, const tcp::endpoint& to,
                               const std::string& records, read_until until,
                               std::chrono::milliseconds timeout, yield y);

struct openssl_outcome {
  bool ok = false;
  std::string error;
  std::string protocol;               ///< "TLSv1.3"
  std::vector<std::string> chain_der; ///< as served, leaf first
  /// The TLS 1.3 signature scheme of the server's CertificateVerify
  /// ("ecdsa_secp256r1_sha256"); "" in TLS 1.2 and earlier, or when unknown.
  std::string tls13_scheme;
};

/// A whole handshake with OpenSSL as the client: every version from TLS 1.0,
/// security level 0, no verification, `sigalgs` (OpenSSL's list syntax; "" for
/// its default) and `max_version` (0: TLS 1.3) as given.
openssl_outcome openssl_handshake(asio::any_io_executor ex, const tcp::endpoint& to,
                                  const std::string& sni, const std::string& sigalgs,
                                  int max_version, std::chrono::milliseconds timeout, yield y);

} // namespace qs::scanner::net
