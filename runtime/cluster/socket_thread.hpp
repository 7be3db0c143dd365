// The one thread that owns one cluster ZeroMQ socket (ARCHITECTURE.md §4): it
// creates, configures (CURVE, ZMTP heartbeats, high-water marks,
// ZMQ_ROUTER_MANDATORY) and binds or connects the socket, then polls it together
// with an inproc PAIR pipe on which other threads hand it messages to send.
//
// Threading:
// - `start`, `stop` and the destructor: the owning thread. Call `stop` before the
//   context is closed; never from inside a callback (it would join itself).
// - `send`, `endpoint` and the counters: any thread, including the callbacks.
//   `send` puts the message on a mutex-guarded queue and, when the queue was
//   empty, pokes the pipe; the pipe's sending end is used only under that mutex.
// - The callbacks run on the socket thread, one at a time, never under a lock;
//   they must not throw and should return quickly (a slow one delays every send).
//
// The queue is drained each time the thread wakes (a poke, a message received, a tick):
// everything queued by then goes out together, through `socket_options::coalesce` when
// set. No timer holds a message back: alone in the queue, it goes at once.
//
// Nothing is dropped silently: a send the socket refuses (EHOSTUNREACH for a
// ROUTER peer that is unknown or gone, EAGAIN at the high-water mark) is counted
// in `send_failures` and handed to `on_send_error` with the reason. (One gap is
// libzmq's: a ROUTER whose peer vanishes between two frames of one message drops
// the rest silently.) The queue in front of the socket is not bounded; the HWMs
// bound what libzmq buffers. Messages still queued when the thread ends are sent
// (on `stop`) or reported (on a context shutdown).
//
// What libzmq still holds when the socket closes is kept for `linger_ms`, then
// discarded. The linger must be above 0: libzmq 4.3.4 aborts the process
// (errno_assert at session_base.cpp:260, clean_pipes) when a connection fails while
// its socket closes and a multipart message is half written to TCP. With linger 0 a
// test stopping both ends mid-flood hit it in 5% of runs, with 100 ms in none of
// 480; a window remains where the connection fails just as the linger runs out.
//
// libzmq 4.3.4: a DEALER whose CURVE handshake the server's ZAP handler refuses
// does not retry that connection, even after its key is allowed; the caller must
// stop this socket_thread and start a new one. A DEALER queues messages (up to
// `sndhwm`) while it is not connected yet.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "runtime/cluster/errc.hpp"
#include "runtime/expected.hpp"

namespace zmq {
class context_t;
class socket_t;
} // namespace zmq

namespace qs::runtime::cluster {

struct socket_options {
  int type = 0; ///< ZMQ_ROUTER or ZMQ_DEALER
  std::string bind_or_connect;
  bool bind = false;
  /// CURVE keys, Z85. A server sets `curve_server` and `secret_key`; a client sets
  /// `server_key` and its own pair. Without either, only inproc:// is allowed.
  std::string public_key, secret_key, server_key;
  bool curve_server = false;
  int heartbeat_ivl_ms = 1000, heartbeat_timeout_ms = 3000; ///< also the TTL asked of peers
  int sndhwm = 10000, rcvhwm = 10000;
  bool router_mandatory = true;        ///< ROUTER only
  std::string routing_id;              ///< DEALER only, optional
  int linger_ms = 100;                 ///< how long libzmq keeps unsent messages after close (> 0)
  std::chrono::milliseconds tick{100}; ///< on_tick's period; missed ticks are skipped
  /// Rewrites what is about to be sent: every message queued when the thread looked,
  /// in order (the links pack each peer's into BATCHes, protocol/message_batch.hpp).
  /// Runs on the socket thread; must not throw. Empty: each message goes as queued.
  std::function<std::vector<std::vector<std::string>>(std::vector<std::vector<std::string>>)>
      coalesce;
};

/// One multipart message as it arrived; for a ROUTER, frames[0] is the routing id.
struct received {
  std::vector<std::string> frames;
  std::string user_id; ///< the ZAP User-Id (the peer's Z85 key); empty when none
};

class socket_thread {
public:
  using clock = std::chrono::steady_clock;
  using on_message = std::function<void(received)>;
  using on_tick = std::function<void(clock::time_point now)>;
  using on_send_error = std::function<void(std::vector<std::string> frames, std::string reason)>;
  using on_wake = std::function<void()>;

  /// Starts the thread and returns once the socket is bound or connected, or with
  /// the reason it is not ("cannot bind tcp://127.0.0.1:7700: Address already in
  /// use"). `context` must outlive the socket_thread. For CURVE servers, start the
  /// zap_handler first. `on_tick` (every `options.tick`), `on_error` and `on_woken`
  /// (after `wake`) may be empty.
  static qs::expected<std::unique_ptr<socket_thread>>
  start(zmq::context_t& context, socket_options options, on_message on_received,
        on_tick on_tick_due = {}, on_send_error on_error = {}, on_wake on_woken = {});

  ~socket_thread() { stop(); }
  socket_thread(const socket_thread&) = delete;
  socket_thread& operator=(const socket_thread&) = delete;

  /// Queues a multipart message for the socket thread to send (a ROUTER's first
  /// frame names the peer). False, and counted as a failure, once stopping.
  /// @threadsafe
  bool send(std::vector<std::string> frames);

  /// Has the thread call `on_woken` soon (work queued elsewhere for it, which should
  /// not wait for the next tick). @threadsafe
  void wake();

  /// Sends what is queued, closes the socket and joins the thread. Idempotent.
  void stop();

  /// The bound or connected endpoint, with the real port for `tcp://host:*`.
  const std::string& endpoint() const { return endpoint_; }

  /// Messages handed to `send`, and multipart messages written to the socket (fewer
  /// when `coalesce` packs several into one).
  std::uint64_t messages_queued() const { return queued_.load(); }
  std::uint64_t messages_sent() const { return sent_.load(); }
  std::uint64_t messages_received() const { return received_.load(); }
  std::uint64_t send_failures() const { return failures_.load(); }

private:
  socket_thread(zmq::context_t& context, socket_options options);
  void run(std::promise<std::string> ready);
  void loop(zmq::socket_t& socket, zmq::socket_t& wake);
  void receive_batch(zmq::socket_t& socket);
  void send_queued(zmq::socket_t& socket);
  void send_one(zmq::socket_t& socket, std::vector<std::string> frames);
  void fail(std::vector<std::string> frames, std::string reason);

  zmq::context_t& context_;
  const socket_options options_;
  const std::string wake_endpoint_;
  on_message on_message_;
  on_tick on_tick_;
  on_send_error on_send_error_;
  on_wake on_woken_;
  std::atomic<bool> woken_{false};
  std::string endpoint_; // written before `start` returns, then read-only

  std::mutex mutex_;
  std::vector<std::vector<std::string>> queue_; // GUARDED_BY(mutex_)
  std::unique_ptr<zmq::socket_t> wake_sender_;  // GUARDED_BY(mutex_)
  bool accepting_ = true;                       // GUARDED_BY(mutex_)

  std::atomic<bool> stop_requested_{false};
  std::atomic<std::thread::id> thread_id_{}; // the socket thread's, once it runs
  std::atomic<std::uint64_t> queued_{0}, sent_{0}, received_{0}, failures_{0};
  std::mutex join_mutex_;
  std::thread thread_;
};

} // namespace qs::runtime::cluster
