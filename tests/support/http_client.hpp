// A small blocking HTTP/1.1 client over plain POSIX sockets, for tests. It talks
// to 127.0.0.1:port, keeps the connection alive between requests, reconnects
// when the server has closed it, and never waits longer than its receive
// timeout (it throws std::runtime_error instead). Not thread-safe: one client
// per test thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json/value.hpp>

namespace qs::test {

struct http_reply {
  int status = 0;
  std::map<std::string, std::string> headers; ///< names in lower case
  std::string body;

  /// The body parsed as JSON; throws when it is not JSON.
  boost::json::value json() const;
};

class http_client {
public:
  /// `source` binds the client's side to another loopback address (127.0.0.2...),
  /// so the server sees another client.
  explicit http_client(std::uint16_t port,
                       std::chrono::milliseconds receive_timeout = std::chrono::seconds(30),
                       std::string source = {});
  ~http_client();
  http_client(const http_client&) = delete;
  http_client& operator=(const http_client&) = delete;

  /// Sends one request (with Host and Content-Length) and reads its reply.
  http_reply request(std::string method, std::string target, std::string body = "",
                     std::vector<std::pair<std::string, std::string>> headers = {});
  /// Sends bytes as they are, connecting first if needed.
  void send_raw(std::string_view bytes);
  /// Reads one reply (Content-Length, chunked, or up to the close); the reply to
  /// a HEAD request (`head`) has no body whatever its Content-Length says.
  http_reply read_reply(bool head = false);
  /// Everything the server sends until it closes the connection (true) or
  /// `wait` passes (false); the bytes not yet parsed are in `rest`.
  bool read_until_closed(std::chrono::milliseconds wait, std::string& rest);
  /// True when the server closes the connection within `wait` (unread
  /// replies are skipped).
  bool closed_by_peer(std::chrono::milliseconds wait);
  /// Closes the connection; the next request opens a new one.
  void disconnect();

private:
  void connect();
  /// Reads more bytes into buffer_; false on an orderly close by the peer.
  bool receive_more();
  std::string read_line();
  std::string read_exactly(std::size_t n);

  std::uint16_t port_;
  std::chrono::milliseconds receive_timeout_;
  std::string source_;
  int fd_ = -1;
  std::string buffer_;           ///< bytes received but not yet parsed
  bool peer_will_close_ = false; ///< the last reply said "Connection: close"
};

/// One request on a fresh connection: POST `body` as application/json.
http_reply http_post_json(std::uint16_t port, std::string target, std::string body);

} // namespace qs::test
