// One HTTP connection as the server sees it, and what the server shares with
// its connections. The connection itself (Boost.Beast: deadlines, keep-alive,
// TLS, answers; the request reader does the parsing) lives in connection.cpp;
// the server (server.cpp: accepting, threads, stop) needs only Asio.
//
// Threads: a connection's state is touched only on its own strand
// (`executor()`); `server_core` is shared by all I/O threads and is
// thread-safe as documented per member.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>

#include "runtime/http/server.hpp"

namespace qs::runtime::http {

/// Shared by a server and the respond functions it hands out: a respond call that
/// races with the server's stop is dropped instead of touching a dead io_context.
struct liveness {
  std::mutex mutex;
  bool stopped = false; ///< guarded by mutex
};

/// Request body bytes held across connections, against a limit. Lock-free.
class body_budget {
public:
  explicit body_budget(std::size_t limit = 0) : limit_(limit) {}
  void set_limit(std::size_t limit) { limit_ = limit; }
  /// Takes `n` bytes if they fit under the limit.
  bool take(std::size_t n) {
    auto held = held_.load(std::memory_order_relaxed);
    do {
      if (n > limit_ || held > limit_ - n)
        return false;
    } while (!held_.compare_exchange_weak(held, held + n, std::memory_order_relaxed));
    return true;
  }
  void give_back(std::size_t n) { held_.fetch_sub(n, std::memory_order_relaxed); }
  std::size_t held() const { return held_.load(std::memory_order_relaxed); }

private:
  std::size_t limit_; ///< set before the server starts
  std::atomic<std::size_t> held_{0};
};

class connection;

/// What a connection needs from its server. Thread-safe.
struct server_core {
  server_options options;
  handler_fn handler;
  std::shared_ptr<liveness> alive = std::make_shared<liveness>();
  std::atomic<bool> stopping{false};
  std::atomic<std::uint64_t> connections_open{0};
  std::atomic<std::uint64_t> requests_in_flight{0};
  body_budget bodies;
  std::mutex idle_mutex;
  std::condition_variable idle; ///< notified when requests_in_flight drops to 0
  std::mutex connections_mutex;
  /// Every open connection; guarded by connections_mutex.
  std::unordered_map<connection*, std::shared_ptr<connection>> connections;
  std::mutex tls_mutex;
  std::shared_ptr<boost::asio::ssl::context> tls; ///< null: plain HTTP; guarded by tls_mutex

  std::shared_ptr<boost::asio::ssl::context> tls_context() {
    std::lock_guard lock(tls_mutex);
    return tls;
  }
  void request_finished() {
    if (--requests_in_flight == 0) {
      std::lock_guard lock(idle_mutex);
      idle.notify_all();
    }
  }
  void forget(connection* c) {
    std::lock_guard lock(connections_mutex);
    if (connections.erase(c) > 0)
      --connections_open;
  }
};

/// The operations the server (and a handler's respond function) call on a
/// connection, each on its strand.
class connection {
public:
  virtual ~connection() = default;
  virtual boost::asio::any_io_executor executor() = 0;
  /// Starts serving (after the TLS handshake, if any); `overloaded` answers 503
  /// and closes instead.
  virtual void start(bool overloaded) = 0;
  /// The handler's answer to the request being handled.
  virtual void deliver(response r) = 0;
  /// From stop(): a connection waiting between requests closes now; one that
  /// is busy closes after its current answer.
  virtual void close_if_idle() = 0;
  /// After the I/O threads have been joined: close without ceremony.
  virtual void abort() = 0;
};

/// A new connection on an accepted socket (TCP_NODELAY already set), over TLS
/// when `tls` is given.
std::shared_ptr<connection> make_connection(server_core& core, boost::asio::ip::tcp::socket socket,
                                            std::shared_ptr<boost::asio::ssl::context> tls);

} // namespace qs::runtime::http
