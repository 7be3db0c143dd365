// The Beast side of the HTTP server: one `session` per connection, plain or
// over TLS, reads a request through a request_reader, hands it to the handler,
// writes the answer, and reads the next, with the read, idle and write
// deadlines. All of its state is touched only on its own strand. No exception
// leaves a completion handler: a connection's failure ends that connection.
#include "runtime/http/connection.hpp"

#include <algorithm>
#include <optional>
#include <vector>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "runtime/http/request_reader.hpp"

namespace qs::runtime::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;
using tls_stream = asio::ssl::stream<tcp::socket>;
using steady_clock = std::chrono::steady_clock;
using error_code = boost::system::error_code;
using namespace std::chrono_literals;

constexpr std::size_t read_chunk = 64 * 1024;

tcp::socket& lowest(tcp::socket& s) {
  return s;
}
tcp::socket& lowest(tls_stream& s) {
  return s.next_layer();
}

/// One TCP connection: reads a request, hands it to the handler, writes the
/// answer, then reads the next (pipelined bytes wait in `buffer_`, which never
/// holds more than the header limit plus one read). Every member is touched
/// only on the connection's strand, which is the socket's executor.
template<class Stream>
class session final : public connection, public std::enable_shared_from_this<session<Stream>> {
public:
  static constexpr bool is_tls = std::is_same_v<Stream, tls_stream>;

  template<class... Args>
  session(server_core& core, std::shared_ptr<asio::ssl::context> tls, Args&&... stream_args)
      : core_(core), tls_(std::move(tls)), stream_(std::forward<Args>(stream_args)...),
        deadline_(lowest(stream_).get_executor()), buffer_(core.options.header_limit + read_chunk) {
    error_code ec;
    remote_address_ = lowest(stream_).remote_endpoint(ec).address().to_string();
  }

  ~session() override { release_body_bytes(); }

  asio::any_io_executor executor() override { return lowest(stream_).get_executor(); }

  void start(bool overloaded) override {
    watch_deadline();
    if constexpr (is_tls) {
      phase_ = phase::reading;
      arm(core_.options.read_timeout);
      stream_.async_handshake(asio::ssl::stream_base::server,
                              guarded([this, overloaded](error_code ec) {
                                if (ec || timed_out_)
                                  return close();
                                timed_out_ = false;
                                serve(overloaded);
                              }));
    } else {
      serve(overloaded);
    }
  }

  void deliver(response r) override {
    if (phase_ != phase::handling) { // closed by stop() while the handler worked
      core_.request_finished();
      return;
    }
    answering_ = true;
    write(std::move(r), keep_alive_ && !core_.stopping);
  }

  void close_if_idle() override {
    if (phase_ == phase::idle)
      close();
  }

  void abort() override {
    phase_ = phase::closed;
    error_code ec;
    lowest(stream_).close(ec);
    deadline_.cancel();
    release_body_bytes();
  }

private:
  enum class phase { idle, reading, handling, writing, lingering, closed };

  /// A completion handler that does nothing on a closed connection and turns
  /// any exception into closing this connection only.
  template<class F> auto guarded(F f) {
    return [self = this->shared_from_this(), f = std::move(f)](auto&&... args) mutable {
      if (self->phase_ == phase::closed)
        return;
      try {
        f(std::forward<decltype(args)>(args)...);
      } catch (...) {
        self->close();
      }
    };
  }

  void serve(bool overloaded) {
    if (overloaded)
      return answer_error(
          {{503, "overloaded", "too many connections, try again later"}, {{"Retry-After", "1"}}});
    wait_for_request();
  }

  void wait_for_request() {
    if (core_.stopping)
      return linger();
    phase_ = phase::idle;
    head_ = false;
    continue_sent_ = false;
    release_body_bytes();
    reader_.emplace(reader_limits{core_.options.header_limit, core_.options.body_limit,
                                  [this](std::size_t n) { return admit(n); }});
    if (buffer_.size() > 0)
      return begin_reading();
    arm(core_.options.idle_timeout);
    stream_.async_read_some(buffer_.prepare(read_chunk),
                            guarded([this](error_code ec, std::size_t n) {
                              if (ec)
                                return close();
                              buffer_.commit(n);
                              begin_reading();
                            }));
  }

  // The read deadline is armed once, at the request's first byte, and covers
  // header and body together.
  void begin_reading() {
    phase_ = phase::reading;
    timed_out_ = false;
    read_started_ = steady_clock::now();
    arm(core_.options.read_timeout);
    parse();
  }

  void parse() {
    for (;;) {
      auto data = buffer_.data();
      buffer_.consume(reader_->feed({static_cast<const char*>(data.data()), data.size()}));
      switch (reader_->current()) {
      case request_reader::state::failed:
        return refuse(reader_->failure());
      case request_reader::state::done:
        return dispatch();
      case request_reader::state::header_ready:
        if (reader_->expects_continue() && buffer_.size() == 0 && !continue_sent_)
          return send_continue();
        continue;
      case request_reader::state::need_more:
        return read_more();
      }
    }
  }

  void read_more() {
    const auto room = buffer_.max_size() - buffer_.size();
    if (room == 0) // the reader caps what it leaves unconsumed below this
      return refuse({{431, "headers_too_large", "the request headers are too large"}, {}});
    stream_.async_read_some(
        buffer_.prepare(std::min(room, read_chunk)), guarded([this](error_code ec, std::size_t n) {
          if (timed_out_)
            return refuse({{408, "request_timeout", "the request did not arrive in time"}, {}});
          if (ec) {
            reader_->feed_eof();
            return refuse(reader_->failure());
          }
          buffer_.commit(n);
          parse();
        }));
  }

  void send_continue() {
    continue_sent_ = true;
    static constexpr std::string_view line = "HTTP/1.1 100 Continue\r\n\r\n";
    asio::async_write(
        stream_, asio::buffer(line.data(), line.size()),
        guarded([this](error_code ec, std::size_t) {
          if (timed_out_)
            return refuse({{408, "request_timeout", "the request did not arrive in time"}, {}});
          if (ec)
            return close();
          read_more();
        }));
  }

  bool admit(std::size_t n) {
    if (!core_.bodies.take(n))
      return false;
    body_bytes_ += n;
    return true;
  }

  void release_body_bytes() {
    if (body_bytes_ == 0)
      return;
    core_.bodies.give_back(body_bytes_);
    body_bytes_ = 0;
  }

  // No deadline while the handler works: it has its own.
  void dispatch() {
    disarm();
    phase_ = phase::handling;
    head_ = reader_->is_head();
    keep_alive_ = reader_->keep_alive();
    version_ = reader_->version();
    request req = reader_->take();
    reader_.reset();
    req.remote_address = remote_address_;
    req.id = next_request_id();
    request_id_ = req.id;
    read_started_ = steady_clock::now();
    ++core_.requests_in_flight;
    call_handler(std::move(req));
  }

  void call_handler(request req);

  /// A refused request: answered (then the connection closes), or closed
  /// silently when the client went away (status 0).
  void refuse(const read_failure& why) {
    if (why.status == 0)
      return close();
    answer_error(why);
  }

  void answer_error(const read_failure& why) {
    request_id_ = next_request_id();
    response r;
    r.status = why.status;
    r.body = error_body(why.code, why.message);
    r.headers = why.headers;
    write(std::move(r), false);
  }

  // Header and body go out in one gather write; a HEAD answer is the header only.
  void write(response r, bool keep_alive) {
    auto& res = response_;
    res = {};
    res.version(version_);
    res.result(r.status >= 100 && r.status <= 999 ? r.status : 500);
    res.set(bhttp::field::server, "qscan");
    res.set(bhttp::field::content_type, r.content_type);
    res.set("X-Content-Type-Options", "nosniff");
    res.set(bhttp::field::cache_control, "no-store");
    res.set("X-Request-Id", request_id_);
    for (const auto& [name, value] : r.headers)
      res.set(name, value);
    res.body() = std::move(r.body);
    res.keep_alive(keep_alive);
    res.prepare_payload();
    if (core_.options.on_answer)
      core_.options.on_answer(
          r.route, r.status,
          std::chrono::duration<double>(steady_clock::now() - read_started_).count());
    serializer_.emplace(res);
    phase_ = phase::writing;
    arm(core_.options.write_timeout);
    auto done = guarded([this, keep_alive](error_code ec, std::size_t) {
      if (answering_) {
        answering_ = false;
        core_.request_finished();
      }
      serializer_.reset();
      release_body_bytes();
      if (ec)
        return close();
      if (!keep_alive)
        return linger();
      wait_for_request();
    });
    if (head_)
      bhttp::async_write_header(stream_, *serializer_, std::move(done));
    else
      bhttp::async_write(stream_, *serializer_, std::move(done));
  }

  // Ends the connection after an answer without losing it: over TCP, sends FIN
  // and discards what the client still sends (for a short while) so the answer
  // is not lost to a reset caused by unread bytes; over TLS, close_notify first.
  void linger() {
    phase_ = phase::lingering;
    arm(std::min<std::chrono::milliseconds>(core_.options.write_timeout, 2s));
    if constexpr (is_tls) {
      stream_.async_shutdown(guarded([this](error_code) { close(); }));
    } else {
      error_code ec;
      stream_.shutdown(tcp::socket::shutdown_send, ec);
      if (ec)
        return close();
      buffer_.clear();
      drain();
    }
  }

  void drain() {
    stream_.async_read_some(buffer_.prepare(4096), guarded([this](error_code ec, std::size_t) {
                              if (ec)
                                return close();
                              drain();
                            }));
  }

  void close() {
    if (phase_ == phase::closed)
      return;
    phase_ = phase::closed;
    error_code ec;
    lowest(stream_).shutdown(tcp::socket::shutdown_both, ec);
    lowest(stream_).close(ec);
    deadline_.cancel();
    release_body_bytes();
    core_.forget(this);
  }

  void arm(std::chrono::milliseconds timeout) { deadline_.expires_after(timeout); }
  void disarm() { deadline_.expires_at(steady_clock::time_point::max()); }

  // One wait loop per connection; re-arming cancels the wait and the loop
  // picks up the new expiry.
  void watch_deadline() {
    deadline_.async_wait(guarded([this](error_code) {
      if (deadline_.expiry() <= steady_clock::now())
        on_deadline();
      if (phase_ != phase::closed)
        watch_deadline();
    }));
  }

  void on_deadline() {
    disarm();
    if (phase_ == phase::reading) { // the read handler answers 408
      timed_out_ = true;
      error_code ec;
      lowest(stream_).cancel(ec);
    } else {
      close();
    }
  }

  server_core& core_;
  std::shared_ptr<asio::ssl::context> tls_; ///< kept alive for stream_ (TLS only)
  Stream stream_;
  asio::steady_timer deadline_;
  beast::flat_buffer buffer_;
  std::optional<request_reader> reader_;
  bhttp::response<bhttp::string_body> response_;
  std::optional<bhttp::response_serializer<bhttp::string_body>> serializer_;
  std::string remote_address_;
  std::string request_id_;
  steady_clock::time_point read_started_ = steady_clock::now();
  std::size_t body_bytes_ = 0; ///< taken from core_.bodies for the current request
  phase phase_ = phase::idle;
  bool timed_out_ = false;
  bool answering_ = false; ///< the write in progress answers a handler's request
  bool keep_alive_ = false;
  bool head_ = false;
  bool continue_sent_ = false;
  unsigned version_ = 11;
};

/// What a respond function holds: delivers once, from any thread, onto the
/// connection's strand; answers 500 if the handler drops it unanswered.
class respond_slot {
public:
  respond_slot(std::weak_ptr<connection> c, std::shared_ptr<liveness> alive)
      : connection_(std::move(c)), alive_(std::move(alive)) {}
  respond_slot(const respond_slot&) = delete;
  respond_slot& operator=(const respond_slot&) = delete;
  ~respond_slot() {
    if (!used_.exchange(true))
      deliver({500,
               error_body("internal", "the request was dropped unanswered"),
               "application/json",
               {},
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
    if (auto c = connection_.lock())
      asio::post(c->executor(), [c, r = std::move(r)]() mutable { c->deliver(std::move(r)); });
  }

  std::weak_ptr<connection> connection_;
  std::shared_ptr<liveness> alive_;
  std::atomic<bool> used_{false};
};

template<class Stream> void session<Stream>::call_handler(request req) {
  auto slot = std::make_shared<respond_slot>(this->weak_from_this(), core_.alive);
  try {
    core_.handler(std::move(req), [slot](response r) { slot->respond(std::move(r)); });
  } catch (...) { // never the exception's text: it may carry library internals
    slot->respond({500, error_body("internal", "internal error"), "application/json", {}, {}});
  }
}

} // namespace

std::shared_ptr<connection> make_connection(server_core& core, tcp::socket socket,
                                            std::shared_ptr<asio::ssl::context> tls) {
  if (tls) {
    auto& context = *tls;
    return std::make_shared<session<tls_stream>>(core, std::move(tls), std::move(socket), context);
  }
  return std::make_shared<session<tcp::socket>>(core, nullptr, std::move(socket));
}

} // namespace qs::runtime::http
