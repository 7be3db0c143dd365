#include "tests/support/tls_client.hpp"

#include <arpa/inet.h>
#include <memory>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

namespace qs::test {
namespace {

std::string hex(const unsigned char* p, unsigned int n) {
  static const char digits[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < n; ++i)
    out += digits[p[i] >> 4], out += digits[p[i] & 0xf];
  return out;
}

std::string reason() {
  auto code = ERR_get_error();
  ERR_clear_error();
  const char* r = code ? ERR_reason_error_string(code) : nullptr;
  return r ? r : "handshake failed";
}

} // namespace

tls_result tls_exchange(std::uint16_t port, std::string_view request, const tls_options& o) {
  tls_result out;
  std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> ctx(SSL_CTX_new(TLS_client_method()),
                                                        SSL_CTX_free);
  SSL_CTX_set_security_level(ctx.get(), 0);
  if (o.min_version)
    SSL_CTX_set_min_proto_version(ctx.get(), o.min_version);
  if (o.max_version)
    SSL_CTX_set_max_proto_version(ctx.get(), o.max_version);
  if (!o.alpn.empty()) {
    std::string wire;
    std::string_view list = o.alpn;
    while (!list.empty()) {
      auto comma = list.find(',');
      auto name = list.substr(0, comma);
      wire += static_cast<char>(name.size());
      wire += name;
      list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
    }
    SSL_CTX_set_alpn_protos(ctx.get(), reinterpret_cast<const unsigned char*>(wire.data()),
                            static_cast<unsigned int>(wire.size()));
  }
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  timeval tv{static_cast<time_t>(o.wait.count() / 1000),
             static_cast<suseconds_t>((o.wait.count() % 1000) * 1000)};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    out.error = "cannot connect";
    return out;
  }
  std::unique_ptr<SSL, decltype(&SSL_free)> ssl(SSL_new(ctx.get()), SSL_free);
  SSL_set_fd(ssl.get(), fd);
  SSL_set_tlsext_host_name(ssl.get(), "localhost");
  if (SSL_connect(ssl.get()) != 1) {
    out.error = reason();
    ::close(fd);
    return out;
  }
  out.handshake = true;
  out.protocol = SSL_get_version(ssl.get());
  const unsigned char* chosen = nullptr;
  unsigned int chosen_len = 0;
  SSL_get0_alpn_selected(ssl.get(), &chosen, &chosen_len);
  out.alpn.assign(reinterpret_cast<const char*>(chosen), chosen_len);
  if (X509* cert = SSL_get1_peer_certificate(ssl.get())) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    X509_digest(cert, EVP_sha256(), md, &n);
    out.peer_sha256 = hex(md, n);
    X509_free(cert);
  }
  if (!request.empty())
    SSL_write(ssl.get(), request.data(), static_cast<int>(request.size()));
  char buf[16384];
  for (;;) {
    const int n = SSL_read(ssl.get(), buf, sizeof buf);
    if (n <= 0)
      break;
    out.reply.append(buf, static_cast<std::size_t>(n));
  }
  SSL_shutdown(ssl.get());
  ::close(fd);
  return out;
}

} // namespace qs::test
