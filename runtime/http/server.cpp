// The server side of the HTTP server: binding, accepting (a connection past
// `max_connections` is answered 503 by its connection), the I/O threads, and a
// graceful stop. Connections themselves are in connection.cpp; no Beast here.
#include "runtime/http/server.hpp"

#include <algorithm>
#include <thread>
#include <vector>

#include <boost/asio.hpp>

#include "runtime/http/connection.hpp"
#include "runtime/http/tls_context.hpp"

namespace qs::runtime::http {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;
using namespace std::chrono_literals;

class server_impl final : public server {
public:
  server_impl(server_options options, handler_fn handler)
      : acceptor_(asio::make_strand(io_)), accept_backoff_(acceptor_.get_executor()),
        work_(io_.get_executor()) {
    core_.options = std::move(options);
    core_.handler = std::move(handler);
    const auto& o = core_.options;
    core_.bodies.set_limit(
        std::max(o.body_limit, o.body_budget ? o.body_budget : 2 * o.body_limit));
  }
  ~server_impl() override { stop(0ms); }

  /// Loads the TLS files, binds and listens.
  qs::expected<void> listen() {
    if (!core_.options.tls_cert.empty() || !core_.options.tls_key.empty()) {
      if (core_.options.tls_cert.empty() || core_.options.tls_key.empty())
        return {errc::tls_files, "TLS needs both a certificate and a key file"};
      if (auto loaded = reload_tls(); !loaded)
        return loaded.error();
    }
    std::string host = core_.options.host;
    if (host.size() > 2 && host.front() == '[' && host.back() == ']')
      host = host.substr(1, host.size() - 2);
    std::string port = std::to_string(core_.options.port);
    std::string where =
        (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + port;
    error_code ec;
    auto results = tcp::resolver(io_).resolve(host, port, tcp::resolver::passive, ec);
    if (ec)
      return {errc::bad_address, "cannot resolve " + where + ": " + ec.message()};
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
    return {errc::bind_failed, "cannot bind " + where + ": " + (ec ? ec.message() : "no address")};
  }

  void run() {
    accept();
    for (int i = 0; i < std::max(1, core_.options.threads); ++i)
      threads_.emplace_back([this] { io_.run(); });
  }

  std::uint16_t port() const override { return port_; }

  server_stats stats() const override {
    return {core_.connections_open.load(std::memory_order_relaxed),
            core_.requests_in_flight.load(std::memory_order_relaxed), core_.bodies.held()};
  }

  qs::expected<void> reload_tls() override {
    const auto& o = core_.options;
    if (o.tls_cert.empty())
      return {};
    auto ctx = make_tls_context(o.tls_cert, o.tls_key);
    if (!ctx)
      return ctx.error();
    std::lock_guard lock(core_.tls_mutex);
    core_.tls = std::move(*ctx);
    return {};
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
    for (auto& s : connections_snapshot())
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
    auto open = connections_snapshot();
    {
      std::lock_guard lock(core_.connections_mutex);
      core_.connections.clear();
      core_.connections_open = 0;
    }
    for (auto& s : open)
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
      auto s = make_connection(core_, std::move(socket), core_.tls_context());
      bool overloaded = core_.connections_open >= core_.options.max_connections;
      {
        std::lock_guard lock(core_.connections_mutex);
        core_.connections.emplace(s.get(), s);
        ++core_.connections_open;
      }
      asio::dispatch(s->executor(), [s, overloaded] { s->start(overloaded); });
      accept();
    });
  }

  std::vector<std::shared_ptr<connection>> connections_snapshot() {
    std::lock_guard lock(core_.connections_mutex);
    std::vector<std::shared_ptr<connection>> out;
    for (auto& entry : core_.connections)
      out.push_back(entry.second);
    return out;
  }

  // Declaration order matters: connections (in core_) go before the io_context.
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

qs::expected<std::unique_ptr<server>> start_server(const server_options& options,
                                                   handler_fn handler) {
  auto impl = std::make_unique<server_impl>(options, std::move(handler));
  if (auto listening = impl->listen(); !listening)
    return listening.error();
  impl->run();
  return std::unique_ptr<server>(std::move(impl));
}

} // namespace qs::runtime::http
