#include "tests/support/http_client.hpp"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdexcept>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/json/parse.hpp>

#include "tests/support/text.hpp"

namespace qs::test {
namespace {

using steady_clock = std::chrono::steady_clock;

std::runtime_error error(const std::string& what) {
  return std::runtime_error("http_client: " + what);
}

std::runtime_error system_error(const std::string& what) {
  return error(what + ": " + std::strerror(errno));
}

/// Waits until fd is readable or the deadline passes; false on timeout.
bool wait_readable(int fd, steady_clock::time_point deadline) {
  for (;;) {
    auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - steady_clock::now());
    if (left.count() <= 0)
      return false;
    pollfd p{fd, POLLIN, 0};
    int n = ::poll(&p, 1, static_cast<int>(left.count()) + 1);
    if (n > 0)
      return true;
    if (n < 0 && errno != EINTR)
      throw system_error("poll");
  }
}

} // namespace

boost::json::value http_reply::json() const {
  return boost::json::parse(body);
}

http_client::http_client(std::uint16_t port, std::chrono::milliseconds receive_timeout,
                         std::string source)
    : port_(port), receive_timeout_(receive_timeout), source_(std::move(source)) {}

http_client::~http_client() {
  disconnect();
}

void http_client::disconnect() {
  if (fd_ >= 0)
    ::close(fd_);
  fd_ = -1;
  buffer_.clear();
  peer_will_close_ = false;
}

void http_client::connect() {
  disconnect();
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0)
    throw system_error("socket");
  if (!source_.empty()) {
    sockaddr_in local{};
    local.sin_family = AF_INET;
    if (::inet_pton(AF_INET, source_.c_str(), &local.sin_addr) != 1 ||
        ::bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0) {
      auto e = system_error("bind to " + source_);
      disconnect();
      throw e;
    }
  }
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port_);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    auto e = system_error("connect to 127.0.0.1:" + std::to_string(port_));
    disconnect();
    throw e;
  }
  int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

void http_client::send_raw(std::string_view bytes) {
  if (fd_ < 0)
    connect();
  while (!bytes.empty()) {
    ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      throw system_error("send");
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

http_reply http_client::request(std::string method, std::string target, std::string body,
                                std::vector<std::pair<std::string, std::string>> headers) {
  std::string text =
      method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port_) + "\r\n";
  for (const auto& [name, value] : headers)
    text += name + ": " + value + "\r\n";
  text += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;

  // A kept-alive connection the server has closed meanwhile reads as readable
  // with nothing (or a reset) behind it: start a new one.
  if (peer_will_close_)
    disconnect();
  pollfd readable{fd_, POLLIN, 0};
  if (fd_ >= 0 && buffer_.empty() && ::poll(&readable, 1, 0) > 0) {
    char byte;
    ssize_t n = ::recv(fd_, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    if (n <= 0)
      disconnect();
  }
  send_raw(text);
  return read_reply();
}

bool http_client::receive_more() {
  if (fd_ < 0)
    throw error("not connected");
  if (!wait_readable(fd_, steady_clock::now() + receive_timeout_))
    throw error("no reply within " + std::to_string(receive_timeout_.count()) + " ms");
  char chunk[16384];
  for (;;) {
    ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0 && errno == ECONNRESET)
      return false;
    if (n < 0)
      throw system_error("recv");
    buffer_.append(chunk, static_cast<std::size_t>(n));
    return n > 0;
  }
}

std::string http_client::read_line() {
  for (;;) {
    auto end = buffer_.find("\r\n");
    if (end != std::string::npos) {
      std::string line = buffer_.substr(0, end);
      buffer_.erase(0, end + 2);
      return line;
    }
    if (!receive_more())
      throw error("connection closed in the middle of a reply");
  }
}

std::string http_client::read_exactly(std::size_t n) {
  while (buffer_.size() < n)
    if (!receive_more())
      throw error("connection closed in the middle of a reply body");
  std::string out = buffer_.substr(0, n);
  buffer_.erase(0, n);
  return out;
}

http_reply http_client::read_reply(bool head) {
  if (fd_ < 0)
    throw error("read_reply without a connection");
  http_reply reply;
  do { // skip interim replies such as 100 Continue
    reply = {};
    if (buffer_.empty() && !receive_more())
      throw error("connection closed before a reply");
    std::string status_line = read_line();
    if (status_line.rfind("HTTP/1.", 0) != 0 || status_line.size() < 12)
      throw error("bad status line: " + status_line);
    reply.status = std::stoi(status_line.substr(9, 3));
    for (std::string line = read_line(); !line.empty(); line = read_line()) {
      auto colon = line.find(':');
      if (colon == std::string::npos)
        throw error("bad header line: " + line);
      reply.headers[lower(line.substr(0, colon))] = trim(std::string_view(line).substr(colon + 1));
    }
  } while (reply.status >= 100 && reply.status < 200);

  auto header = [&](const std::string& name) {
    auto it = reply.headers.find(name);
    return it == reply.headers.end() ? std::string() : lower(it->second);
  };
  if (head) {
    // no body
  } else if (header("transfer-encoding").find("chunked") != std::string::npos) {
    for (;;) {
      std::size_t size = std::stoul(read_line(), nullptr, 16);
      if (size == 0) {
        while (!read_line().empty()) { // trailers
        }
        break;
      }
      reply.body += read_exactly(size);
      read_line();
    }
  } else if (!header("content-length").empty()) {
    reply.body = read_exactly(std::stoul(header("content-length")));
  } else if (reply.status != 204 && reply.status != 304) {
    while (receive_more()) {
    }
    reply.body = std::move(buffer_);
    disconnect();
  }
  if (header("connection") == "close")
    peer_will_close_ = true;
  return reply;
}

bool http_client::read_until_closed(std::chrono::milliseconds wait, std::string& rest) {
  if (fd_ < 0)
    throw error("read_until_closed without a connection");
  auto deadline = steady_clock::now() + wait;
  char chunk[16384];
  while (wait_readable(fd_, deadline)) {
    ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n < 0 && errno == EINTR)
      continue;
    if (n == 0 || (n < 0 && errno == ECONNRESET)) {
      rest = std::move(buffer_);
      disconnect();
      return true;
    }
    if (n < 0)
      throw system_error("recv");
    buffer_.append(chunk, static_cast<std::size_t>(n));
  }
  rest = buffer_;
  return false;
}

bool http_client::closed_by_peer(std::chrono::milliseconds wait) {
  if (fd_ < 0)
    return true;
  auto deadline = steady_clock::now() + wait;
  char chunk[4096];
  while (wait_readable(fd_, deadline)) {
    ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n < 0 && errno == EINTR)
      continue;
    if (n == 0 || (n < 0 && errno == ECONNRESET)) {
      disconnect();
      return true;
    }
    if (n < 0)
      throw system_error("recv");
  }
  return false;
}

http_reply http_post_json(std::uint16_t port, std::string target, std::string body) {
  http_client client(port);
  return client.request("POST", std::move(target), std::move(body),
                        {{"Content-Type", "application/json"}, {"Connection", "close"}});
}

} // namespace qs::test
