#include "connection.hpp"

#include <cerrno>

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

namespace qs::loadgen {

bool start_connect(Connection& connection, const Target& target) {
  int fd = socket(target.address.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    return false;
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  int rc = connect(fd, reinterpret_cast<const sockaddr*>(&target.address), target.address_length);
  if (rc != 0 && errno != EINPROGRESS) {
    int saved = errno;
    close(fd);
    errno = saved;
    return false;
  }
  connection.fd = fd;
  ++connection.generation;
  connection.state = rc == 0 ? ConnectionState::idle : ConnectionState::connecting;
  return true;
}

bool finish_connect(Connection& connection) {
  int error = 0;
  socklen_t length = sizeof error;
  if (getsockopt(connection.fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0 || error != 0) {
    return false;
  }
  connection.state = ConnectionState::idle;
  return true;
}

bool write_request(Connection& connection, const std::string& request) {
  while (connection.written < request.size()) {
    ssize_t n = send(connection.fd, request.data() + connection.written,
                     request.size() - connection.written, MSG_NOSIGNAL);
    if (n > 0) {
      connection.written += static_cast<std::size_t>(n);
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      return true; // wait for EPOLLOUT
    } else {
      return false;
    }
  }
  if (connection.state == ConnectionState::sending) {
    connection.state = ConnectionState::receiving;
  }
  return true;
}

ReadOutcome read_response(Connection& connection) {
  thread_local char buffer[64 * 1024];
  for (;;) {
    ssize_t n = recv(connection.fd, buffer, sizeof buffer, 0);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        return ReadOutcome::pending;
      }
      return ReadOutcome::failed;
    }
    if (n == 0) {
      if (!connection.busy()) {
        return ReadOutcome::peer_closed;
      }
      return connection.parser.finish_at_eof() == ResponseParser::Result::done
                 ? ReadOutcome::response
                 : ReadOutcome::failed;
    }
    if (!connection.busy()) {
      return ReadOutcome::bad_response; // bytes nobody asked for
    }
    std::size_t used = 0;
    auto result = connection.parser.feed(buffer, static_cast<std::size_t>(n), used);
    if (result == ResponseParser::Result::error) {
      return ReadOutcome::bad_response;
    }
    if (result == ResponseParser::Result::done) {
      // No pipelining: anything after the response is a protocol error.
      return used == static_cast<std::size_t>(n) ? ReadOutcome::response
                                                 : ReadOutcome::bad_response;
    }
  }
}

void close_connection(Connection& connection) {
  if (connection.fd >= 0) {
    close(connection.fd);
  }
  connection.fd = -1;
  connection.state = ConnectionState::down;
}

} // namespace qs::loadgen
