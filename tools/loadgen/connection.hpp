#pragma once
// One keep-alive client connection: a non-blocking TCP socket (TCP_NODELAY) with at most one
// request outstanding, and the parser for its response.

#include "http_response_parser.hpp"
#include "target.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

namespace qs::loadgen {

enum class ConnectionState { down, connecting, idle, sending, receiving };

enum class ReadOutcome {
  pending,     // nothing complete yet (or an idle connection with nothing to say)
  response,    // a whole response was parsed
  peer_closed, // an idle connection was closed by the server
  failed,      // socket error, or the server closed mid-request
  bad_response // the bytes were not a valid HTTP/1.1 response
};

struct Connection {
  int fd = -1;
  std::uint32_t generation = 0; // bumped on every connect, to spot stale epoll events
  ConnectionState state = ConnectionState::down;
  std::int64_t retry_at_ns = 0;
  std::int64_t scheduled_ns = 0; // when the request in flight was due
  std::int64_t sent_ns = 0;      // when it was actually handed to the socket
  std::size_t written = 0;
  ResponseParser parser;

  bool busy() const {
    return state == ConnectionState::sending || state == ConnectionState::receiving;
  }
};

// Opens a non-blocking socket and starts connecting; state becomes connecting or idle.
// Returns false (connection left down, errno set) when it fails at once.
bool start_connect(Connection& connection, const Target& target);
// Checks the result of a pending connect; true when the connection is up.
bool finish_connect(Connection& connection);
// Writes what is left of `request`; state becomes receiving once it is all written.
// Returns false on a socket error.
bool write_request(Connection& connection, const std::string& request);
// Reads until the socket would block and feeds the parser.
ReadOutcome read_response(Connection& connection);
void close_connection(Connection& connection);

} // namespace qs::loadgen
