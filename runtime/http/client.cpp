#include "runtime/http/client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "runtime/http/errc.hpp"

namespace qs::runtime::http {

namespace {

namespace beast = boost::beast;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

struct url_parts {
  bool tls = false;
  std::string host, port, prefix;
};

expected<url_parts> parse_url(const std::string& url) {
  url_parts u;
  std::string rest;
  if (url.rfind("http://", 0) == 0) {
    rest = url.substr(7);
  } else if (url.rfind("https://", 0) == 0) {
    rest = url.substr(8);
    u.tls = true;
  } else {
    return qs::error(errc::bad_url, "the URL " + url + " is not http:// or https://");
  }
  const auto slash = rest.find('/');
  if (slash != std::string::npos) {
    u.prefix = rest.substr(slash);
    while (!u.prefix.empty() && u.prefix.back() == '/')
      u.prefix.pop_back();
    rest.resize(slash);
  }
  const auto colon = rest.rfind(':');
  if (colon != std::string::npos && rest.find(']', colon) == std::string::npos) {
    u.host = rest.substr(0, colon);
    u.port = rest.substr(colon + 1);
  } else {
    u.host = rest;
    u.port = u.tls ? "443" : "80";
  }
  if (u.host.size() > 2 && u.host.front() == '[' && u.host.back() == ']')
    u.host = u.host.substr(1, u.host.size() - 2);
  if (u.host.empty())
    return qs::error(errc::bad_url, "the URL " + url + " names no host");
  return u;
}

template<class Stream>
expected<client_response> exchange(Stream& stream, const client_request& r, const url_parts& u) {
  beast::http::request<beast::http::string_body> req{beast::http::string_to_verb(r.method),
                                                     u.prefix + r.target, 11};
  req.set(beast::http::field::host, u.host);
  req.set(beast::http::field::user_agent, "qscan");
  for (const auto& [name, value] : r.headers)
    req.set(name, value);
  if (!r.body.empty()) {
    req.set(beast::http::field::content_type, "application/json");
    req.body() = r.body;
  }
  req.prepare_payload();
  beast::error_code ec;
  beast::http::write(stream, req, ec);
  if (ec)
    return qs::error(errc::unreachable, "cannot send to " + r.base_url + ": " + ec.message());
  beast::flat_buffer buffer;
  beast::http::response<beast::http::string_body> res;
  beast::http::read(stream, buffer, res, ec);
  if (ec)
    return qs::error(errc::unreachable, "no answer from " + r.base_url + ": " + ec.message());
  return client_response{res.result_int(), std::move(res.body())};
}

} // namespace

expected<client_response> send_request(const client_request& r) {
  auto u = parse_url(r.base_url);
  if (!u)
    return u.error();
  asio::io_context io;
  beast::error_code ec;
  auto endpoints = tcp::resolver(io).resolve(u->host, u->port, ec);
  if (ec)
    return qs::error(errc::unreachable, "cannot resolve " + u->host + ": " + ec.message());
  if (!u->tls) {
    beast::tcp_stream stream(io);
    stream.expires_after(r.timeout);
    stream.connect(endpoints, ec);
    if (ec)
      return qs::error(errc::unreachable, "cannot connect to " + r.base_url + ": " + ec.message());
    return exchange(stream, r, *u);
  }
  asio::ssl::context ctx(asio::ssl::context::tls_client);
  ctx.set_verify_mode(asio::ssl::verify_peer);
  if (r.ca_file.empty())
    ctx.set_default_verify_paths(ec);
  else
    ctx.load_verify_file(r.ca_file, ec);
  if (ec)
    return qs::error(errc::unreachable, "cannot load the CA certificates: " + ec.message());
  beast::ssl_stream<beast::tcp_stream> stream(io, ctx);
  SSL_set_tlsext_host_name(stream.native_handle(), u->host.c_str());
  stream.set_verify_callback(asio::ssl::host_name_verification(u->host));
  beast::get_lowest_layer(stream).expires_after(r.timeout);
  beast::get_lowest_layer(stream).connect(endpoints, ec);
  if (!ec)
    stream.handshake(asio::ssl::stream_base::client, ec);
  if (ec)
    return qs::error(errc::unreachable, "cannot connect to " + r.base_url + ": " + ec.message());
  return exchange(stream, r, *u);
}

} // namespace qs::runtime::http
