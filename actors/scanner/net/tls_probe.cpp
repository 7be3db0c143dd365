#include "actors/scanner/net/tls_probe.hpp"

#include "actors/scanner/tls/registry.hpp"

#include <map>
#include <memory>
#include <utility>

#include <arpa/inet.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

namespace qs::scanner::net {
namespace {

// The TLS 1.3 name of the scheme a finished handshake's server signed with.
std::string tls13_scheme_of(SSL* ssl) {
  int type = NID_undef, digest = NID_undef;
  if (SSL_version(ssl) != TLS1_3_VERSION || SSL_get_peer_signature_type_nid(ssl, &type) != 1)
    return "";
  SSL_get_peer_signature_nid(ssl, &digest);
  const char* hash = digest == NID_sha256   ? "sha256"
                     : digest == NID_sha384 ? "sha384"
                     : digest == NID_sha512 ? "sha512"
                                            : "";
  if (type == NID_ED25519)
    return "ed25519";
  if (type == NID_ED448)
    return "ed448";
  if (!*hash)
    return "";
  if (type == NID_rsassaPss) { // rsae with an RSA key, pss with an RSA-PSS one
    X509* peer = SSL_get0_peer_certificate(ssl);
    const bool pss_key = peer && EVP_PKEY_get_id(X509_get0_pubkey(peer)) == EVP_PKEY_RSA_PSS;
    return std::string(pss_key ? "rsa_pss_pss_" : "rsa_pss_rsae_") + hash;
  }
  if (type == NID_X9_62_id_ecPublicKey)
    return digest == NID_sha256   ? "ecdsa_secp256r1_sha256"
           : digest == NID_sha384 ? "ecdsa_secp384r1_sha384"
                                  : "ecdsa_secp521r1_sha512";
  return "";
}

using error_code = boost::system::error_code;

std::string describe(const error_code& ec) {
  if (ec == asio::error::connection_refused)
    return "connection refused";
  if (ec == asio::error::operation_aborted || ec == asio::error::timed_out)
    return "timed out";
  if (ec == asio::error::host_unreachable || ec == asio::error::network_unreachable)
    return "unreachable";
  if (ec == asio::error::eof)
    return "closed by the server";
  if (ec == asio::error::connection_reset)
    return "connection reset by the server";
  return ec.message();
}

// Cancels `socket`'s operations when it expires.
class deadline {
public:
  deadline(asio::any_io_executor ex, tcp::socket& socket, std::chrono::milliseconds timeout)
      : timer_(ex, timeout) {
    timer_.async_wait([&socket, fired = fired_](error_code ec) {
      if (!ec) {
        *fired = true;
        error_code ignored;
        socket.cancel(ignored);
      }
    });
  }
  ~deadline() { timer_.cancel(); }
  bool fired() const { return *fired_; }

private:
  asio::steady_timer timer_;
  std::shared_ptr<bool> fired_ = std::make_shared<bool>(false);
};

bool enough(const hello_answer& a, read_until until) {
  if (!a.hello)
    return false;
  if (until == read_until::server_hello || a.hello->hello_retry || a.hello->version() >= tls::tls13)
    return true;
  for (const auto& m : a.after)
    if (m.type == 14) // server_hello_done
      return true;
  return false;
}

// OpenSSL's client settings for `sigalgs` and `max_version`, made once per thread
// (an SSL_CTX costs more to make than the handshake's own work on the client);
// nullptr when OpenSSL does not know `sigalgs`.
asio::ssl::context* client_context(const std::string& sigalgs, int max_version) {
  thread_local std::map<std::pair<std::string, int>, std::unique_ptr<asio::ssl::context>> made;
  auto& slot = made[{sigalgs, max_version}];
  if (slot)
    return slot.get();
  auto ctx = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_client);
  SSL_CTX* native = ctx->native_handle();
  SSL_CTX_set_security_level(native, 0);
  SSL_CTX_set_min_proto_version(native, TLS1_VERSION);
  SSL_CTX_set_max_proto_version(native, max_version);
  SSL_CTX_set_options(native,
                      SSL_OP_LEGACY_SERVER_CONNECT | SSL_OP_ALLOW_UNSAFE_LEGACY_RENEGOTIATION);
  SSL_CTX_set_cipher_list(native, "ALL:COMPLEMENTOFALL:@SECLEVEL=0");
  SSL_CTX_set1_groups_list(native, "X25519:P-256:P-384:P-521:X448:ffdhe2048:ffdhe3072");
  if (!sigalgs.empty() && SSL_CTX_set1_sigalgs_list(native, sigalgs.c_str()) != 1) {
    made.erase({sigalgs, max_version});
    return nullptr;
  }
  SSL_CTX_set_verify(native, SSL_VERIFY_NONE, nullptr);
  slot = std::move(ctx);
  return slot.get();
}

} // namespace

std::variant<tcp::socket, std::string> connect(asio::any_io_executor ex, const tcp::endpoint& to,
                                               std::chrono::milliseconds timeout, yield y) {
  tcp::socket socket(ex);
  error_code ec;
  socket.open(to.protocol(), ec);
  if (ec)
    return describe(ec);
  socket.set_option(tcp::no_delay(true), ec);
  deadline limit(ex, socket, timeout);
  socket.async_connect(to, y[ec]);
  if (limit.fired())
    return std::string("timed out");
  if (ec)
    return describe(ec);
  return socket;
}

hello_answer send_client_hello(asio::any_io_executor ex, const tcp::endpoint& to,
                               const std::string& records, read_until until,
                               std::chrono::milliseconds timeout, yield y) {
  hello_answer out;
  auto connected = connect(ex, to, timeout, y);
  if (auto* why = std::get_if<std::string>(&connected)) {
    out.error = *why;
    return out;
  }
  auto& socket = std::get<tcp::socket>(connected);
  deadline limit(ex, socket, timeout);
  error_code ec;
  asio::async_write(socket, asio::buffer(records), y[ec]);
  tls::handshake_reader reader;
  char buf[16384];
  while (!ec) {
    const auto n = socket.async_read_some(asio::buffer(buf), y[ec]);
    reader.feed(std::string_view(buf, n));
    while (auto m = reader.next()) {
      if (!out.hello && m->type == 2) {
        auto sh = tls::parse_server_hello(m->body);
        if (auto* why = std::get_if<std::string>(&sh)) {
          out.error = *why;
          return out;
        }
        out.hello = std::get<tls::server_hello>(sh);
      } else if (out.hello) {
        out.after.push_back(std::move(*m));
      }
    }
    if (!reader.error().empty()) {
      out.error = reader.error();
      break;
    }
    if (enough(out, until) || reader.alert() || reader.encrypted())
      break;
  }
  out.alert = reader.alert();
  if (out.hello)
    out.error.clear();
  else if (out.error.empty())
    out.error = out.alert       ? tls::alert_name(out.alert->description) + " alert"
                : limit.fired() ? "timed out waiting for the ServerHello"
                : ec            ? describe(ec) + " before a ServerHello"
                                : "no ServerHello";
  error_code ignored;
  socket.shutdown(tcp::socket::shutdown_both, ignored);
  return out;
}

openssl_outcome openssl_handshake(asio::any_io_executor ex, const tcp::endpoint& to,
                                  const std::string& sni, const std::string& sigalgs,
                                  int max_version, std::chrono::milliseconds timeout, yield y) {
  openssl_outcome out;
  auto connected = connect(ex, to, timeout, y);
  if (auto* why = std::get_if<std::string>(&connected)) {
    out.error = *why;
    return out;
  }
  auto* ctx = client_context(sigalgs, max_version);
  if (!ctx) {
    out.error = "OpenSSL does not know the signature algorithms " + sigalgs;
    return out;
  }
  asio::ssl::stream<tcp::socket> stream(std::move(std::get<tcp::socket>(connected)), *ctx);
  unsigned char ip[16];
  if (!sni.empty() && inet_pton(AF_INET, sni.c_str(), ip) != 1 &&
      inet_pton(AF_INET6, sni.c_str(), ip) != 1)
    SSL_set_tlsext_host_name(stream.native_handle(), sni.c_str());
  deadline limit(ex, stream.next_layer(), timeout);
  error_code ec;
  ERR_clear_error();
  stream.async_handshake(asio::ssl::stream_base::client, y[ec]);
  if (limit.fired() || ec) {
    out.error = limit.fired() ? "timed out" : "handshake failed: " + ec.message();
    ERR_clear_error();
    return out;
  }
  out.ok = true;
  out.protocol = SSL_get_version(stream.native_handle());
  out.tls13_scheme = tls13_scheme_of(stream.native_handle());
  if (STACK_OF(X509)* chain = SSL_get_peer_cert_chain(stream.native_handle()))
    for (int i = 0; i < sk_X509_num(chain); ++i) {
      unsigned char* der = nullptr;
      const int n = i2d_X509(sk_X509_value(chain, i), &der);
      if (n > 0)
        out.chain_der.emplace_back(reinterpret_cast<char*>(der), static_cast<std::size_t>(n));
      OPENSSL_free(der);
    }
  error_code ignored;
  stream.next_layer().shutdown(tcp::socket::shutdown_both, ignored);
  return out;
}

} // namespace qs::scanner::net
