// An HTTP/1.1 server (Boost.Beast on Boost.Asio) with keep-alive, pipelined
// requests answered in order, body and header limits, per-request read
// deadlines (a slow client cannot hold a connection), idle timeouts, TCP_NODELAY,
// and a graceful stop. All Beast code lives in connection.cpp;
// server.cpp (accepting, threads, stop) needs only Asio.
//
// Threads: the server runs `threads` I/O threads of its own. The handler is called
// on an I/O thread and must not block; it answers by calling the `respond`
// function it was given exactly once, from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

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
};

/// Statistics the server keeps itself (read with relaxed atomics).
struct server_stats {
  std::uint64_t connections_open = 0;
  std::uint64_t requests_in_flight = 0;
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
};

struct start_result {
  std::unique_ptr<http::server> server; ///< null on failure
  std::string error; ///< e.g. "cannot bind 127.0.0.1:8000: Address already in use"
};

/// Binds and starts serving.
start_result start_server(const server_options& options, handler_fn handler);

/// A JSON error body in the one shape every error uses:
/// {"error":{"code":CODE,"message":MESSAGE,"details":[]}}.
std::string error_body(std::string_view code, std::string_view message);

} // namespace qs::runtime::http
