// The Beast side of the HTTP server: one `session` per connection reads a
// request, hands it to the handler, writes the answer, and reads the next, with
// the read, idle and write deadlines. All of its state is touched only on its
// own strand. This is the project's only Boost.Beast translation unit.
#include "runtime/http/connection.hpp"

#include <algorithm>
#include <optional>
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

/// One TCP connection: reads a request, hands it to the handler, writes the
/// answer, then reads the next (pipelined bytes wait in `buffer_`). Every member
/// is touched only on the connection's strand, which is the socket's executor.
class session final : public connection, public std::enable_shared_from_this<session> {
public:
  session(server_core& core, tcp::socket socket)
      : core_(core), socket_(std::move(socket)), deadline_(socket_.get_executor()) {
    error_code ec;
    remote_address_ = socket_.remote_endpoint(ec).address().to_string();
  }

  asio::any_io_executor executor() override { return socket_.get_executor(); }

  void start(bool overloaded) override {
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

  void close_if_idle() override {
    if (phase_ == phase::idle)
      close();
  }

  void abort() override {
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

} // namespace

std::shared_ptr<connection> make_connection(server_core& core, tcp::socket socket) {
  return std::make_shared<session>(core, std::move(socket));
}

} // namespace qs::runtime::http
