#include "runtime/cluster/socket_thread.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <iterator>
#include <system_error>
#include <utility>

#include <zmq.hpp>
#include <zmq_addon.hpp>

#include "runtime/cluster/curve_keys.hpp"

namespace qs::runtime::cluster {

namespace {

constexpr int max_receive_batch = 256; // then look at the pipe and the clock again

std::atomic<std::uint64_t> pipe_counter{0};

// Why the options cannot work, or "" when they can. Never quotes a key.
std::string check(const socket_options& o) {
  const std::string& where = o.bind_or_connect;
  if (o.type != ZMQ_ROUTER && o.type != ZMQ_DEALER)
    return "a cluster socket is a ROUTER or a DEALER";
  if (where.empty())
    return "a cluster socket needs an endpoint to bind or connect";
  if (o.linger_ms <= 0)
    return "the linger of the socket for " + where +
           " must be positive (libzmq 4.3.4 can abort at 0)";
  if (o.tick.count() <= 0)
    return "the tick of the socket for " + where + " must be positive";
  const auto bad_key = [&](const std::string& key, const char* name) {
    return is_z85_key(key) ? std::string()
                           : std::string("socket_options.") + name + " is not a Z85 CURVE key";
  };
  if (o.curve_server)
    return bad_key(o.secret_key, "secret_key");
  if (!o.server_key.empty()) {
    for (const auto& problem :
         {bad_key(o.server_key, "server_key"), bad_key(o.public_key, "public_key"),
          bad_key(o.secret_key, "secret_key")})
      if (!problem.empty())
        return problem;
    return "";
  }
  if (where.rfind("inproc://", 0) != 0)
    return "cannot use " + where + " without CURVE: set curve_server or server_key";
  return "";
}

std::string reason_for(const zmq::error_t& e) {
  if (e.num() == EHOSTUNREACH)
    return "no connected peer has that routing id (EHOSTUNREACH)";
  if (e.num() == EAGAIN)
    return "the high-water mark is reached or there is no peer (EAGAIN)";
  return std::string("cannot send: ") + e.what();
}

// One frame without blocking: "" when accepted, else why not.
std::string send_frame(zmq::socket_t& socket, const std::string& frame, bool more) {
  const auto flags =
      more ? zmq::send_flags::dontwait | zmq::send_flags::sndmore : zmq::send_flags::dontwait;
  try {
    return socket.send(zmq::buffer(frame), flags) ? "" : reason_for(zmq::error_t(EAGAIN));
  } catch (const zmq::error_t& e) {
    return reason_for(e);
  }
}

} // namespace

socket_thread::socket_thread(zmq::context_t& context, socket_options options)
    : context_(context), options_(std::move(options)),
      wake_endpoint_("inproc://qs.socket_thread." + std::to_string(++pipe_counter)) {}

qs::expected<std::unique_ptr<socket_thread>>
socket_thread::start(zmq::context_t& context, socket_options options, on_message on_received,
                     on_tick on_tick_due, on_send_error on_error, on_wake on_woken) {
  if (!on_received)
    return qs::error(errc::setup_failed, "a socket_thread needs an on_message callback");
  if (std::string problem = check(options); !problem.empty())
    return qs::error(errc::setup_failed, std::move(problem));
  std::unique_ptr<socket_thread> self(new socket_thread(context, std::move(options)));
  self->on_message_ = std::move(on_received);
  self->on_tick_ = std::move(on_tick_due);
  self->on_send_error_ = std::move(on_error);
  self->on_woken_ = std::move(on_woken);

  std::promise<std::string> ready;
  auto outcome = ready.get_future();
  try {
    self->thread_ = std::thread(&socket_thread::run, self.get(), std::move(ready));
  } catch (const std::system_error& e) {
    return qs::error(errc::setup_failed, std::string("cannot start a socket thread: ") + e.what());
  }
  if (std::string why = outcome.get(); !why.empty()) {
    self->thread_.join();
    return qs::error(errc::setup_failed, std::move(why));
  }
  try {
    auto sender = std::make_unique<zmq::socket_t>(context, zmq::socket_type::pair);
    sender->set(zmq::sockopt::linger, 0);
    sender->connect(self->wake_endpoint_);
    std::lock_guard<std::mutex> lock(self->mutex_);
    self->wake_sender_ = std::move(sender);
  } catch (const zmq::error_t& e) {
    // The destructor stops the thread; it sees the stop flag within one tick.
    return qs::error(errc::setup_failed,
                     "cannot connect " + self->wake_endpoint_ + ": " + e.what());
  }
  return qs::expected<std::unique_ptr<socket_thread>>(std::move(self));
}

bool socket_thread::send(std::vector<std::string> frames) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!accepting_) {
    ++failures_;
    return false;
  }
  const bool was_empty = queue_.empty();
  queue_.push_back(std::move(frames));
  ++queued_;
  // The socket thread itself (a callback) sends what it queued before it polls again.
  if (was_empty && wake_sender_ && std::this_thread::get_id() != thread_id_.load()) {
    try {
      // EAGAIN means wake-ups are already waiting in the pipe: the thread will look.
      (void)wake_sender_->send(zmq::message_t(), zmq::send_flags::dontwait);
    } catch (const zmq::error_t&) {
      // The context is closing: the thread ends and reports what is queued.
    }
  }
  return true;
}

void socket_thread::wake() {
  if (woken_.exchange(true))
    return; // a wake-up is pending already
  std::lock_guard<std::mutex> lock(mutex_);
  if (!wake_sender_)
    return;
  try {
    (void)wake_sender_->send(zmq::message_t(), zmq::send_flags::dontwait);
  } catch (const zmq::error_t&) {
    // The context is closing.
  }
}

void socket_thread::stop() {
  std::lock_guard<std::mutex> join_lock(join_mutex_);
  if (!thread_.joinable())
    return;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    accepting_ = false; // what is queued now is sent by the thread before it ends
    stop_requested_ = true;
    if (wake_sender_) {
      try {
        (void)wake_sender_->send(zmq::message_t(), zmq::send_flags::dontwait);
      } catch (const zmq::error_t&) {
        // Closing context: the thread sees ETERM. Otherwise the flag within a tick.
      }
    }
  }
  thread_.join();
  std::lock_guard<std::mutex> lock(mutex_);
  wake_sender_.reset();
}

void socket_thread::run(std::promise<std::string> ready) {
  thread_id_ = std::this_thread::get_id();
  const socket_options& o = options_;
  std::string doing = "create a socket for";
  bool reported = false;
  try {
    zmq::socket_t wake(context_, zmq::socket_type::pair);
    wake.set(zmq::sockopt::linger, 0);
    wake.bind(wake_endpoint_);

    zmq::socket_t socket(context_, o.type);
    doing = "configure the socket for";
    socket.set(zmq::sockopt::linger, o.linger_ms);
    socket.set(zmq::sockopt::sndhwm, o.sndhwm);
    socket.set(zmq::sockopt::rcvhwm, o.rcvhwm);
    socket.set(zmq::sockopt::heartbeat_ivl, o.heartbeat_ivl_ms);
    socket.set(zmq::sockopt::heartbeat_timeout, o.heartbeat_timeout_ms);
    socket.set(zmq::sockopt::heartbeat_ttl, o.heartbeat_timeout_ms);
    if (o.type == ZMQ_ROUTER)
      socket.set(zmq::sockopt::router_mandatory, o.router_mandatory);
    if (!o.routing_id.empty())
      socket.set(zmq::sockopt::routing_id, zmq::buffer(o.routing_id));
    doing = "set the CURVE keys for";
    if (o.curve_server) {
      socket.set(zmq::sockopt::curve_server, true);
      socket.set(zmq::sockopt::curve_secretkey, o.secret_key);
    } else if (!o.server_key.empty()) {
      socket.set(zmq::sockopt::curve_serverkey, o.server_key);
      socket.set(zmq::sockopt::curve_publickey, o.public_key);
      socket.set(zmq::sockopt::curve_secretkey, o.secret_key);
    }
    doing = o.bind ? "bind" : "connect";
    if (o.bind)
      socket.bind(o.bind_or_connect);
    else
      socket.connect(o.bind_or_connect);
    endpoint_ = socket.get(zmq::sockopt::last_endpoint);
    ready.set_value("");
    reported = true;

    loop(socket, wake);  // until stop(), which closed the queue before asking
    send_queued(socket); // what was queued before stop(); libzmq lingers on it
  } catch (const zmq::error_t& e) {
    if (!reported) {
      ready.set_value("cannot " + doing + " " + o.bind_or_connect + ": " + e.what());
      return;
    }
    // ETERM: the context is closing under us. Nothing queued can be sent any more.
    std::vector<std::vector<std::string>> left;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      accepting_ = false;
      left.swap(queue_);
    }
    for (auto& frames : left)
      fail(std::move(frames), std::string("the socket thread ended: ") + e.what());
  }
}

void socket_thread::loop(zmq::socket_t& socket, zmq::socket_t& wake) {
  auto next_tick = clock::now() + options_.tick;
  std::array<zmq::pollitem_t, 2> items{};
  bool more = false; // queued by the last round's sending itself: look again at once
  while (!stop_requested_) {
    const auto until_tick = next_tick - clock::now();
    const auto timeout = more ? std::chrono::milliseconds(0)
                              : std::max(std::chrono::milliseconds(0),
                                         std::chrono::ceil<std::chrono::milliseconds>(until_tick));
    items[0] = {socket.handle(), 0, ZMQ_POLLIN, 0};
    items[1] = {wake.handle(), 0, ZMQ_POLLIN, 0};
    try {
      zmq::poll(items, timeout);
    } catch (const zmq::error_t& e) {
      if (e.num() != EINTR) // a signal: look again
        throw;
      continue;
    }

    if (items[1].revents & ZMQ_POLLIN) {
      zmq::message_t poke;
      while (wake.recv(poke, zmq::recv_flags::dontwait)) {
      }
    }
    if (woken_.exchange(false) && on_woken_)
      on_woken_();
    if (items[0].revents & ZMQ_POLLIN)
      receive_batch(socket);

    if (const auto now = clock::now(); now >= next_tick) {
      next_tick += options_.tick;
      if (next_tick <= now) // after a stall: skip the missed ticks, no burst
        next_tick = now + options_.tick;
      if (on_tick_)
        on_tick_(now);
    }
    // Everything the callbacks above queued (they do not poke the pipe: this thread
    // sends it here) and what other threads queued meanwhile, together.
    send_queued(socket);
    std::lock_guard<std::mutex> lock(mutex_);
    more = !queue_.empty();
  }
}

void socket_thread::receive_batch(zmq::socket_t& socket) {
  for (int i = 0; i < max_receive_batch && !stop_requested_; ++i) {
    std::vector<zmq::message_t> parts;
    if (!zmq::recv_multipart(socket, std::back_inserter(parts), zmq::recv_flags::dontwait))
      return;
    received message;
    // The last frame: a ROUTER makes the routing-id frame itself, without metadata.
    if (const char* user = zmq_msg_gets(parts.back().handle(), "User-Id"))
      message.user_id = user;
    message.frames.reserve(parts.size());
    for (const auto& part : parts)
      message.frames.push_back(part.to_string());
    ++received_;
    on_message_(std::move(message));
  }
}

void socket_thread::send_queued(zmq::socket_t& socket) {
  std::vector<std::vector<std::string>> batch;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    batch.swap(queue_);
  }
  if (batch.empty())
    return;
  if (options_.coalesce)
    batch = options_.coalesce(std::move(batch));
  for (auto& frames : batch)
    send_one(socket, std::move(frames));
}

void socket_thread::send_one(zmq::socket_t& socket, std::vector<std::string> frames) {
  if (frames.empty()) {
    fail(std::move(frames), "a message needs at least one frame");
    return;
  }
  const std::size_t count = frames.size();
  for (std::size_t i = 0; i < count; ++i) {
    std::string reason = send_frame(socket, frames[i], i + 1 < count);
    if (reason.empty())
      continue;
    if (i > 0) {
      // Only when the peer's pipe died mid-message (a DEALER; a ROUTER drops the
      // rest silently). The DEALER now discards frames up to the message's end:
      // hand it the rest, or it would eat the start of the next message.
      reason += " after " + std::to_string(i) + " of " + std::to_string(count) + " frames";
      for (std::size_t rest = i + 1; rest < count; ++rest)
        (void)send_frame(socket, frames[rest], rest + 1 < count);
    }
    fail(std::move(frames), std::move(reason));
    return;
  }
  ++sent_;
}

void socket_thread::fail(std::vector<std::string> frames, std::string reason) {
  ++failures_;
  if (on_send_error_)
    on_send_error_(std::move(frames), std::move(reason));
}

} // namespace qs::runtime::cluster
