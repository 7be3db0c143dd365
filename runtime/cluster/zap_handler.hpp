// The ZAP handler (RFC 27) that decides which CURVE clients may connect to this
// node's cluster sockets: the mechanism must be CURVE and the client's public key
// must be on the allow-list. Admitted connections get the client's Z85 public key
// as their ZAP User-Id, so a ROUTER can read who sent a message with
// `message.gets("User-Id")` and need not trust a self-declared node id.
//
// Start it before any CURVE server socket binds in the same context: libzmq 4.3
// (without the DRAFT ZMQ_ZAP_ENFORCE_DOMAIN) lets every client in when no handler
// is listening on inproc://zeromq.zap.01.
//
// Threading: `start` binds the ZAP socket on the handler's own thread and returns
// once it is bound; that thread alone owns the ZAP socket and an inproc PAIR on
// which `stop` pokes it (a stop flag checked every 250 ms backs the poke up).
// `stop` (or the destructor) joins the thread; call it from the owning thread, and
// before the context is closed. The counters may be read from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <future>
#include <memory>
#include <string>
#include <thread>

#include "runtime/cluster/allow_list.hpp"
#include "runtime/cluster/errc.hpp"
#include "runtime/expected.hpp"

namespace zmq {
class context_t;
class socket_t;
} // namespace zmq

namespace qs::runtime::cluster {

class zap_handler {
public:
  /// Binds inproc://zeromq.zap.01 in `context` (which must outlive the handler) and
  /// starts answering. An error when the endpoint is taken (one handler per context).
  static qs::expected<std::unique_ptr<zap_handler>> start(zmq::context_t& context,
                                                          std::shared_ptr<allow_list> allowed);

  ~zap_handler();
  zap_handler(const zap_handler&) = delete;
  zap_handler& operator=(const zap_handler&) = delete;

  /// Stops answering and joins the thread. Idempotent.
  void stop();

  std::uint64_t admitted() const { return admitted_.load(); }
  std::uint64_t refused() const { return refused_.load(); }

private:
  zap_handler(zmq::context_t& context, std::shared_ptr<allow_list> allowed);
  void run(std::promise<std::string> bound);
  void answer(zmq::socket_t& zap);

  zmq::context_t& context_;
  const std::shared_ptr<allow_list> allowed_;
  const std::string stop_endpoint_;
  std::atomic<bool> stopping_{false};
  std::atomic<std::uint64_t> admitted_{0};
  std::atomic<std::uint64_t> refused_{0};
  std::thread thread_;
};

} // namespace qs::runtime::cluster
