// One HTTP connection as the server sees it, and what the server shares with
// its connections. The connection itself (Boost.Beast: parsing, deadlines,
// keep-alive, answers) lives in connection.cpp, the only Beast translation unit;
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

#include "runtime/http/server.hpp"

namespace qs::runtime::http {

/// Shared by a server and the respond functions it hands out: a respond call that
/// races with the server's stop is dropped instead of touching a dead io_context.
struct liveness {
  std::mutex mutex;
  bool stopped = false; ///< guarded by mutex
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
  std::mutex idle_mutex;
  std::condition_variable idle; ///< notified when requests_in_flight drops to 0
  std::mutex connections_mutex;
  /// Every open connection; guarded by connections_mutex.
  std::unordered_map<connection*, std::shared_ptr<connection>> connections;

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

/// The operations the server calls on a connection, each on its strand.
class connection {
public:
  virtual ~connection() = default;
  virtual boost::asio::any_io_executor executor() = 0;
  /// Starts serving; `overloaded` answers 503 and closes instead.
  virtual void start(bool overloaded) = 0;
  /// From stop(): a connection waiting between requests closes now; one that
  /// is busy closes after its current answer.
  virtual void close_if_idle() = 0;
  /// After the I/O threads have been joined: close without ceremony.
  virtual void abort() = 0;
};

/// A new connection on an accepted socket (TCP_NODELAY already set).
std::shared_ptr<connection> make_connection(server_core& core, boost::asio::ip::tcp::socket socket);

} // namespace qs::runtime::http
