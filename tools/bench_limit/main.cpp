// qs-bench-limit: the limit of our own for `tools/bench ratio`. A bare
// Boost.Beast HTTP/1.1 server (keep-alive, TCP_NODELAY, the same number of I/O
// threads as `qscan serve` by default) that answers POST
// /ai-threat-predictor/predict with predict_answer.hpp: parse, a trivial score
// per asset, answer. No storage, no actors, no routing table, no metrics, no
// auth: what is left is what any server of ours has to pay for the wire and JSON.
// Prints "listening on http://HOST:PORT" when ready, like `qscan serve`; stops on
// SIGINT or SIGTERM.
//
//   qs-bench-limit [--listen 127.0.0.1:0] [--io-threads 2]
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "tools/bench_limit/predict_answer.hpp"

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

constexpr std::size_t body_limit = 8 * 1024 * 1024; // qscan serve's default --body-limit
constexpr std::size_t header_limit = 16 * 1024;
constexpr auto idle_timeout = std::chrono::seconds(30);

struct options {
  std::string host = "127.0.0.1";
  unsigned short port = 0;
  int io_threads = 2;
};

std::variant<options, std::string> parse_options(int argc, char** argv) {
  options o;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--help" || flag == "-h")
      return std::string("usage");
    if (i + 1 >= argc)
      return flag + " needs a value";
    const std::string value = argv[++i];
    if (flag == "--listen") {
      const auto colon = value.rfind(':');
      if (colon == std::string::npos)
        return "--listen takes HOST:PORT, got " + value;
      o.host = value.substr(0, colon);
      const long port = std::strtol(value.c_str() + colon + 1, nullptr, 10);
      if (port < 0 || port > 65535)
        return "--listen: no port " + value.substr(colon + 1);
      o.port = static_cast<unsigned short>(port);
    } else if (flag == "--io-threads") {
      o.io_threads = std::atoi(value.c_str());
      if (o.io_threads < 1 || o.io_threads > 256)
        return "--io-threads takes 1 to 256, got " + value;
    } else {
      return "unknown option " + flag;
    }
  }
  return o;
}

std::atomic<std::uint64_t> next_request{0};

http::response<http::string_body> answer(const http::request<http::string_body>& req) {
  http::response<http::string_body> res;
  res.version(req.version());
  res.keep_alive(req.keep_alive());
  res.set(http::field::server, "qs-bench-limit");
  res.set(http::field::content_type, "application/json");
  const std::string id = "req-limit-" + std::to_string(++next_request);
  res.set("X-Request-Id", id);
  if (req.target() != "/ai-threat-predictor/predict") {
    res.result(http::status::not_found);
    res.body() = R"({"error":{"code":"not_found","message":"no such route","details":[]}})";
  } else if (req.method() != http::verb::post) {
    res.result(http::status::method_not_allowed);
    res.set(http::field::allow, "POST");
    res.body() = R"({"error":{"code":"method_not_allowed","message":"use POST","details":[]}})";
  } else {
    auto out = qs::bench_limit::answer_predict(req.body(), id);
    res.result(out.status);
    res.body() = std::move(out.body);
  }
  res.prepare_payload();
  return res;
}

/// One connection: read a request, answer it, again while the client keeps it
/// alive. Everything runs on the socket's strand.
class session : public std::enable_shared_from_this<session> {
public:
  explicit session(tcp::socket socket) : stream_(std::move(socket)) {}

  void start() { read(); }

private:
  void read() {
    parser_.emplace();
    parser_->body_limit(body_limit);
    parser_->header_limit(header_limit);
    stream_.expires_after(idle_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&session::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec) // the client closed, timed out, or sent what we do not serve
      return close();
    response_ = answer(parser_->get());
    http::async_write(stream_, response_,
                      beast::bind_front_handler(&session::on_write, shared_from_this()));
  }

  void on_write(beast::error_code ec, std::size_t) {
    if (ec)
      return;
    if (!response_.keep_alive())
      return close();
    read();
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::response<http::string_body> response_;
};

class listener : public std::enable_shared_from_this<listener> {
public:
  listener(asio::io_context& io, tcp::acceptor acceptor)
      : io_(io), acceptor_(std::move(acceptor)) {}

  void accept() {
    acceptor_.async_accept(asio::make_strand(io_),
                           beast::bind_front_handler(&listener::on_accept, shared_from_this()));
  }

private:
  void on_accept(beast::error_code ec, tcp::socket socket) {
    if (!ec) {
      socket.set_option(tcp::no_delay(true), ec);
      std::make_shared<session>(std::move(socket))->start();
    }
    if (acceptor_.is_open())
      accept();
  }

  asio::io_context& io_;
  tcp::acceptor acceptor_;
};

} // namespace

int main(int argc, char** argv) {
  auto parsed = parse_options(argc, argv);
  if (auto* why = std::get_if<std::string>(&parsed)) {
    std::cerr << "qs-bench-limit: " << *why
              << "\nusage: qs-bench-limit [--listen 127.0.0.1:0] [--io-threads 2]\n";
    return *why == "usage" ? 0 : 2;
  }
  const auto& o = std::get<options>(parsed);

  asio::io_context io(o.io_threads);
  beast::error_code ec;
  const auto address = asio::ip::make_address(o.host, ec);
  if (ec) {
    std::cerr << "qs-bench-limit: " << o.host << " is not an IP address\n";
    return 2;
  }
  tcp::acceptor acceptor(io);
  const tcp::endpoint endpoint(address, o.port);
  acceptor.open(endpoint.protocol(), ec);
  if (!ec)
    acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec)
    acceptor.bind(endpoint, ec);
  if (!ec)
    acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    std::cerr << "qs-bench-limit: cannot bind " << o.host << ":" << o.port << ": " << ec.message()
              << "\n";
    return 1;
  }
  const auto port = acceptor.local_endpoint().port();
  std::make_shared<listener>(io, std::move(acceptor))->accept();

  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&io](beast::error_code, int) { io.stop(); });

  std::cout << "listening on http://" << o.host << ":" << port << std::endl;
  std::vector<std::thread> threads;
  for (int i = 1; i < o.io_threads; ++i)
    threads.emplace_back([&io] { io.run(); });
  io.run();
  for (auto& t : threads)
    t.join();
  return 0;
}
