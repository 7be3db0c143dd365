// The Beast side of the HTTP server: accepting, one `session` per connection
// (all of its state touched only on its own strand), deadlines, and stop.
#include "runtime/http/server.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace qs::runtime::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;
using steady_clock = std::chrono::steady_clock;
using error_code = boost::system::error_code;
using header_list = std::vector<std::pair<std::string, std::string>>;
using namespace std::chrono_literals;

/// Shared by a server and the respond functions it hands out: a respond call that
/// races with the server's stop is dropped instead of touching a dead io_context.
struct liveness {
  std::mutex mutex;
  bool stopped = false; ///< guarded by mutex
};

class session;

/// What a session needs from its server. Thread-safe.
struct server_core {
  server_options options;
  handler_fn handler;
  std::shared_ptr<liveness> alive = std::make_shared<liveness>();
  std::atomic<bool> stopping{false};
  std::atomic<std::uint64_t> connections_open{0};
  std::atomic<std::uint64_t> requests_in_flight{0};
  std::mutex idle_mutex;
  std::condition_variable idle; ///< notified when requests_in_flight drops to 0
  std::mutex sessions_mutex;
  std::unordered_map<session*, std::shared_ptr<session>> sessions; ///< guarded by sessions_mutex

  void request_finished() {
    if (--requests_in_flight == 0) {
      std::lock_guard lock(idle_mutex);
      idle.notify_all();
    }
  }
  void forget(session* s) {
    std::lock_guard lock(sessions_mutex);
    if (sessions.erase(s) > 0)
      --connections_open;
  }
};

/// One TCP connection: reads a request, hands it to the handler, writes the
/// answer, then reads the next (pipelined bytes wait in `buffer_`). Every member
/// is touched only on the connection's strand, which is the socket's executor.
class session : public std::enable_shared_from_this<session> {
public:
  session(server_core& core, tcp::socket socket)
      : core_(core), socket_(std::move(socket)), deadline_(socket_.get_executor()) {
    error_code ec;
    remote_address_ = socket_.remote_endpoint(ec).address().to_string();
  }

  asio::any_io_executor executor() { return socket_.get_executor(); }

  /// Starts serving; `overloaded` answers 503 and closes instead.
  void start(bool overloaded) {
    watch_deadline();
    if (overloaded)
      answer_error(503, "overloaded", "too many connections, try again later",
                   {{"Retry-After", "1"}});
    else
      wait_for_request();
  }

  /// The handler's answer, posted here by the respond function.
  void deliver(response r) {
    if (phase_ != phase::handling) { // closed by stop() while the handler worked
      core_.request_finished();
      return;
    }
    answering_ = true;
    write(build(r.status, r.content_type, std::move(r.body), r.headers),
          request_keep_alive_ && !core_.stopping);
  }

  /// From stop(): a connection waiting between requests closes now; one that
  /// is busy closes after its current answer.
  void close_if_idle() {
    if (phase_ == phase::idle)
      close();
  }

  /// After the I/O threads have been joined: close without ceremony.
  void abort() {
    phase_ = phase::closed;
    error_code ec;
    socket_.close(ec);
    deadline_.cancel();
  }

private:
  enum class phase { idle, reading, handling, writing, lingering, closed };

  void wait_for_request() {
    if (core_.stopping)
      return linger();
    phase_ = phase::idle;
    if (buffer_.size() > 0)
      return read_header();
    arm(core_.options.idle_timeout);
    socket_.async_read_some(buffer_.prepare(4096),
                            [self = shared_from_this()](error_code ec, std::size_t n) {
                              if (self->phase_ == phase::closed)
                                return;
                              if (ec)
                                return self->close();
                              self->buffer_.commit(n);
                              self->read_header();
                            });
  }

  // The read deadline is armed once here and covers header and body together.
  void read_header() {
    phase_ = phase::reading;
    timed_out_ = false;
    arm(core_.options.read_timeout);
    parser_.emplace();
    parser_->header_limit(
        static_cast<std::uint32_t>(std::min<std::size_t>(core_.options.header_limit, UINT32_MAX)));
    parser_->body_limit(core_.options.body_limit);
    bhttp::async_read_header(
        socket_, buffer_, *parser_,
        [self = shared_from_this()](error_code ec, std::size_t) { self->on_header(ec); });
  }

  void on_header(error_code ec) {
    if (phase_ == phase::closed)
      return;
    if (ec || timed_out_)
      return fail(ec);
    if (parser_->is_done())
      return on_body({});
    if (beast::iequals(parser_->get()[bhttp::field::expect], "100-continue")) {
      static constexpr std::string_view continue_line = "HTTP/1.1 100 Continue\r\n\r\n";
      return asio::async_write(socket_, asio::buffer(continue_line.data(), continue_line.size()),
                               [self = shared_from_this()](error_code ec, std::size_t) {
                                 if (self->phase_ == phase::closed)
                                   return;
                                 if (ec || self->timed_out_)
                                   return self->fail(ec);
                                 self->read_body();
                               });
    }
    read_body();
  }

  void read_body() {
    bhttp::async_read(
        socket_, buffer_, *parser_,
        [self = shared_from_this()](error_code ec, std::size_t) { self->on_body(ec); });
  }

  // No deadline while the handler works: it has its own.
  void on_body(error_code ec) {
    if (phase_ == phase::closed)
      return;
    if (ec)
      return fail(ec);
    disarm();
    phase_ = phase::handling;
    auto message = parser_->release();
    parser_.reset();
    request_keep_alive_ = message.keep_alive();
    request_version_ = message.version();
    request req;
    req.method = std::string(message.method_string());
    req.target = std::string(message.target());
    for (const auto& field : message)
      req.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    req.body = std::move(message.body());
    req.remote_address = remote_address_;
    ++core_.requests_in_flight;
    call_handler(std::move(req));
  }

  void call_handler(request req);

  /// Maps a failed read to an answer (then close) or a silent close.
  void fail(error_code ec) {
    if (timed_out_)
      return answer_error(408, "request_timeout", "the request did not arrive in time");
    if (ec == bhttp::error::header_limit)
      return answer_error(431, "headers_too_large", "the request headers are too large");
    if (ec == bhttp::error::body_limit)
      return answer_error(413, "payload_too_large",
                          "the request body is larger than " +
                              std::to_string(core_.options.body_limit) + " bytes");
    bool parse_error = ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category();
    if (parse_error && ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message)
      return answer_error(400, "bad_request", "malformed HTTP request: " + ec.message());
    close();
  }

  void answer_error(unsigned status, std::string_view code, const std::string& message,
                    const header_list& headers = {}) {
    write(build(status, "application/json", error_body(code, message), headers), false);
  }

  bhttp::response<bhttp::string_body> build(unsigned status, const std::string& content_type,
                                            std::string body, const header_list& extra) const {
    bhttp::response<bhttp::string_body> res;
    res.version(request_version_);
    res.result(status >= 100 && status <= 999 ? status : 500);
    res.set(bhttp::field::server, "qscan");
    res.set(bhttp::field::content_type, content_type);
    res.set("X-Content-Type-Options", "nosniff");
    res.set(bhttp::field::cache_control, "no-store");
    for (const auto& [name, value] : extra)
      res.set(name, value);
    res.body() = std::move(body);
    return res;
  }

  // Header and body go out in one gather write.
  void write(bhttp::response<bhttp::string_body> res, bool keep_alive) {
    res.keep_alive(keep_alive);
    res.prepare_payload();
    response_ = std::move(res);
    phase_ = phase::writing;
    arm(core_.options.write_timeout);
    bhttp::async_write(socket_, response_,
                       [self = shared_from_this(), keep_alive](error_code ec, std::size_t) {
                         if (self->answering_) {
                           self->answering_ = false;
                           self->core_.request_finished();
                         }
                         if (self->phase_ == phase::closed)
                           return;
                         if (ec)
                           return self->close();
                         if (!keep_alive)
                           return self->linger();
                         self->wait_for_request();
                       });
  }

  // Sends FIN, then discards what the client still sends (for a short while) so
  // the answer is not lost to a reset caused by unread bytes.
  void linger() {
    phase_ = phase::lingering;
    error_code ec;
    socket_.shutdown(tcp::socket::shutdown_send, ec);
    if (ec)
      return close();
    arm(std::min<std::chrono::milliseconds>(core_.options.write_timeout, 2s));
    buffer_.clear();
    drain();
  }

  void drain() {
    socket_.async_read_some(buffer_.prepare(4096),
                            [self = shared_from_this()](error_code ec, std::size_t) {
                              if (self->phase_ == phase::closed)
                                return;
                              if (ec)
                                return self->close();
                              self->drain();
                            });
  }

  void close() {
    if (phase_ == phase::closed)
      return;
    phase_ = phase::closed;
    error_code ec;
    socket_.shutdown(tcp::socket::shutdown_both, ec);
    socket_.close(ec);
    deadline_.cancel();
    core_.forget(this);
  }

  void arm(std::chrono::milliseconds timeout) { deadline_.expires_after(timeout); }
  void disarm() { deadline_.expires_at(steady_clock::time_point::max()); }

  // One wait loop per connection; re-arming cancels the wait and the loop
  // picks up the new expiry.
  void watch_deadline() {
    deadline_.async_wait([self = shared_from_this()](error_code) {
      if (self->phase_ == phase::closed)
        return;
      if (self->deadline_.expiry() <= steady_clock::now())
        self->on_deadline();
      if (self->phase_ != phase::closed)
        self->watch_deadline();
    });
  }

  void on_deadline() {
    disarm();
    if (phase_ == phase::reading) { // the read handler answers 408
      timed_out_ = true;
      error_code ec;
      socket_.cancel(ec);
    } else {
      close();
    }
  }

  server_core& core_;
  tcp::socket socket_;
  asio::steady_timer deadline_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  bhttp::response<bhttp::string_body> response_;
  std::string remote_address_;
  phase phase_ = phase::idle;
  bool timed_out_ = false;
  bool answering_ = false; ///< the write in progress answers a handler's request
  bool request_keep_alive_ = false;
  unsigned request_version_ = 11;
};

/// What a respond function holds: delivers once, from any thread, onto the
/// connection's strand; answers 500 if the handler drops it unanswered.
class respond_slot {
public:
  respond_slot(std::weak_ptr<session> s, std::shared_ptr<liveness> alive)
      : session_(std::move(s)), alive_(std::move(alive)) {}
  respond_slot(const respond_slot&) = delete;
  respond_slot& operator=(const respond_slot&) = delete;
  ~respond_slot() {
    if (!used_.exchange(true))
      deliver({500,
               error_body("internal", "the request was dropped unanswered"),
               "application/json",
               {}});
  }

  void respond(response r) {
    if (!used_.exchange(true))
      deliver(std::move(r));
  }

private:
  void deliver(response r) {
    std::lock_guard lock(alive_->mutex);
    if (alive_->stopped)
      return;
    if (auto s = session_.lock())
      asio::post(s->executor(), [s, r = std::move(r)]() mutable { s->deliver(std::move(r)); });
  }

  std::weak_ptr<session> session_;
  std::shared_ptr<liveness> alive_;
  std::atomic<bool> used_{false};
};

void session::call_handler(request req) {
  auto slot = std::make_shared<respond_slot>(weak_from_this(), core_.alive);
  try {
    core_.handler(std::move(req), [slot](response r) { slot->respond(std::move(r)); });
  } catch (const std::exception& e) {
    slot->respond({500, error_body("internal", e.what()), "application/json", {}});
  }
}

class server_impl final : public server {
public:
  server_impl(server_options options, handler_fn handler)
      : acceptor_(asio::make_strand(io_)), accept_backoff_(acceptor_.get_executor()),
        work_(io_.get_executor()) {
    core_.options = std::move(options);
    core_.handler = std::move(handler);
  }
  ~server_impl() override { stop(0ms); }

  /// Binds and listens; returns an error message or "".
  std::string listen() {
    std::string host = core_.options.host;
    if (host.size() > 2 && host.front() == '[' && host.back() == ']')
      host = host.substr(1, host.size() - 2);
    std::string port = std::to_string(core_.options.port);
    std::string where =
        (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + port;
    error_code ec;
    auto results = tcp::resolver(io_).resolve(host, port, tcp::resolver::passive, ec);
    if (ec)
      return "cannot resolve " + where + ": " + ec.message();
    std::vector<tcp::endpoint> endpoints;
    for (const auto& entry : results)
      endpoints.push_back(entry.endpoint());
    std::stable_sort(endpoints.begin(), endpoints.end(), [](const auto& a, const auto& b) {
      return a.address().is_v4() && !b.address().is_v4(); // "localhost": prefer 127.0.0.1
    });
    for (const auto& endpoint : endpoints) {
      error_code ignored;
      acceptor_.close(ignored);
      acceptor_.open(endpoint.protocol(), ec);
      if (!ec)
        acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
      if (!ec)
        acceptor_.bind(endpoint, ec);
      if (!ec)
        acceptor_.listen(asio::socket_base::max_listen_connections, ec);
      if (!ec) {
        port_ = acceptor_.local_endpoint(ec).port();
        return {};
      }
    }
    return "cannot bind " + where + ": " + (ec ? ec.message() : "no address");
  }

  void run() {
    accept();
    for (int i = 0; i < std::max(1, core_.options.threads); ++i)
      threads_.emplace_back([this] { io_.run(); });
  }

  std::uint16_t port() const override { return port_; }

  server_stats stats() const override {
    return {core_.connections_open.load(std::memory_order_relaxed),
            core_.requests_in_flight.load(std::memory_order_relaxed)};
  }

  /// @pre not called from a handler (it joins the I/O threads).
  void stop(std::chrono::milliseconds grace) override {
    std::lock_guard stop_lock(stop_mutex_);
    if (stopped_)
      return;
    stopped_ = true;
    core_.stopping = true;
    asio::post(acceptor_.get_executor(), [this] {
      error_code ec;
      acceptor_.close(ec);
      accept_backoff_.cancel();
    });
    for (auto& s : sessions_snapshot())
      asio::post(s->executor(), [s] { s->close_if_idle(); });
    {
      std::unique_lock lock(core_.idle_mutex);
      core_.idle.wait_for(lock, grace, [this] { return core_.requests_in_flight == 0; });
    }
    io_.stop();
    for (auto& thread : threads_)
      thread.join();
    {
      std::lock_guard lock(core_.alive->mutex);
      core_.alive->stopped = true;
    }
    auto sessions = sessions_snapshot();
    {
      std::lock_guard lock(core_.sessions_mutex);
      core_.sessions.clear();
      core_.connections_open = 0;
    }
    for (auto& s : sessions)
      s->abort();
  }

private:
  void accept() {
    acceptor_.async_accept(asio::make_strand(io_), [this](error_code ec, tcp::socket socket) {
      if (ec == asio::error::operation_aborted || !acceptor_.is_open())
        return;
      if (ec) { // e.g. out of file descriptors: back off instead of spinning
        accept_backoff_.expires_after(50ms);
        accept_backoff_.async_wait([this](error_code e) {
          if (!e)
            accept();
        });
        return;
      }
      error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      auto s = std::make_shared<session>(core_, std::move(socket));
      bool overloaded = core_.connections_open >= core_.options.max_connections;
      {
        std::lock_guard lock(core_.sessions_mutex);
        core_.sessions.emplace(s.get(), s);
        ++core_.connections_open;
      }
      asio::dispatch(s->executor(), [s, overloaded] { s->start(overloaded); });
      accept();
    });
  }

  std::vector<std::shared_ptr<session>> sessions_snapshot() {
    std::lock_guard lock(core_.sessions_mutex);
    std::vector<std::shared_ptr<session>> out;
    for (auto& entry : core_.sessions)
      out.push_back(entry.second);
    return out;
  }

  // Declaration order matters: sessions (in core_) go before the io_context.
  asio::io_context io_;
  server_core core_;
  tcp::acceptor acceptor_;
  asio::steady_timer accept_backoff_;
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  std::vector<std::thread> threads_;
  std::uint16_t port_ = 0;
  std::mutex stop_mutex_;
  bool stopped_ = false; ///< guarded by stop_mutex_
};

} // namespace

start_result start_server(const server_options& options, handler_fn handler) {
  auto impl = std::make_unique<server_impl>(options, std::move(handler));
  if (std::string error = impl->listen(); !error.empty())
    return {nullptr, error};
  impl->run();
  return {std::move(impl), {}};
}

} // namespace qs::runtime::http
