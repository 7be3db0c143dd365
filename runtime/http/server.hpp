// An HTTP/1.1 server (Boost.Beast on Boost.Asio), plain or over TLS, with
// keep-alive, pipelined requests answered in order, HEAD, body and header
// limits (trailers and chunk lines included), request smuggling refused, a
// budget of body bytes held at once across connections, per-request read
// deadlines (a slow client cannot hold a connection), idle timeouts,
// TCP_NODELAY, and a graceful stop. Requests are read by request_reader.hpp;
// all Beast code lives in connection.cpp and request_reader.cpp; server.cpp
// (accepting, threads, stop) needs only Asio.
//
// Threads: the server runs `threads` I/O threads of its own. The handler is called
// on an I/O thread and must not block; it answers by calling the `respond`
// function it was given exactly once, from any thread. Every answer, the
// server's own included, carries an X-Request-Id and is reported to on_answer.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "runtime/expected.hpp"
#include "runtime/http/errc.hpp"
#include "runtime/http/message.hpp"

namespace qs::runtime::http {

using respond_fn = std::function<void(response)>;
using handler_fn = std::function<void(request, respond_fn)>;

struct server_options {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0; ///< 0 binds a free port
  std::size_t body_limit = 8 * 1024 * 1024;
  std::size_t header_limit = 16 * 1024;
  std::chrono::milliseconds read_timeout{10000}; ///< whole request, from its first byte
  std::chrono::milliseconds idle_timeout{30000}; ///< keep-alive connection with no request
  std::chrono::milliseconds write_timeout{10000};
  std::size_t max_connections = 10000;
  int threads = 2;
  /// Request body bytes held at once across all connections, from the header
  /// until the answer is written; past it a request gets 503 with Retry-After
  /// before its body is read. 0: twice body_limit. Never below body_limit, so
  /// one body at the limit is always admitted.
  std::size_t body_budget = 0;
  /// PEM files: serve HTTPS (TLS 1.2 and 1.3 only). Both empty: plain HTTP.
  std::string tls_cert;
  std::string tls_key;
  /// Called for every answer written, on an I/O thread: the route label the
  /// handler set ("" for the server's own answers: 400, 408, 413, 431, 503...),
  /// the status, and the seconds since the request was read.
  std::function<void(std::string_view route, unsigned status, double seconds)> on_answer;
};

/// Statistics the server keeps itself (read with relaxed atomics).
struct server_stats {
  std::uint64_t connections_open = 0;
  std::uint64_t requests_in_flight = 0;
  std::uint64_t body_bytes_held = 0; ///< against server_options::body_budget
};

class server {
public:
  virtual ~server() = default;

  /// The port actually bound (useful with port 0).
  virtual std::uint16_t port() const = 0;

  /// Stops accepting, lets in-flight requests finish (up to `grace`), closes
  /// idle connections, and joins the I/O threads. Idempotent.
  /// @pre not called from a handler or an I/O thread (it joins them).
  virtual void stop(std::chrono::milliseconds grace) = 0;

  virtual server_stats stats() const = 0;

  /// Reads the TLS certificate and key files again; new connections use them,
  /// open ones keep theirs. On errc::tls_files (or tls_setup) the files were
  /// refused and the old ones stay. Succeeds, doing nothing, for a plain HTTP
  /// server. Thread-safe.
  virtual qs::expected<void> reload_tls() = 0;
};

/// Binds and starts serving. Errors: errc::bad_address (the host cannot be
/// resolved), errc::bind_failed ("cannot bind 127.0.0.1:8000: Address already in
/// use"), errc::tls_files and errc::tls_setup (as make_tls_context).
qs::expected<std::unique_ptr<server>> start_server(const server_options& options,
                                                   handler_fn handler);

/// A JSON error body in the one shape every error uses:
/// {"error":{"code":CODE,"message":MESSAGE,"details":[]}}.
std::string error_body(std::string_view code, std::string_view message);

} // namespace qs::runtime::http
