#include "runtime/http/tls_context.hpp"

#include <cstring>

#include <openssl/err.h>
#include <openssl/ssl.h>

namespace qs::runtime::http {
namespace {

namespace ssl = boost::asio::ssl;

std::string openssl_reason() {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0)
    return "unknown OpenSSL error";
  const char* reason = ERR_reason_error_string(code);
  return reason ? reason : "OpenSSL error " + std::to_string(code);
}

// Chooses http/1.1 whatever else the client offers (no HTTP/2 here).
int select_alpn(SSL*, const unsigned char** out, unsigned char* out_len, const unsigned char* in,
                unsigned int in_len, void*) {
  for (unsigned int i = 0; i < in_len;) {
    const unsigned int len = in[i];
    if (i + 1 + len > in_len)
      break;
    if (len == 8 && std::memcmp(in + i + 1, "http/1.1", 8) == 0) {
      *out = in + i + 1;
      *out_len = static_cast<unsigned char>(len);
      return SSL_TLSEXT_ERR_OK;
    }
    i += 1 + len;
  }
  return SSL_TLSEXT_ERR_NOACK;
}

} // namespace

qs::expected<std::shared_ptr<ssl::context>> make_tls_context(const std::string& cert_file,
                                                             const std::string& key_file) {
  ERR_clear_error();
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
  SSL_CTX* native = ctx->native_handle();
  SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
  SSL_CTX_set_options(native, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION |
                                  SSL_OP_CIPHER_SERVER_PREFERENCE);
  if (SSL_CTX_set_cipher_list(native, "ECDHE+AESGCM:ECDHE+CHACHA20") != 1 ||
      SSL_CTX_set1_groups_list(native, "X25519:P-256:P-384") != 1)
    return qs::error(errc::tls_setup, "cannot configure TLS: " + openssl_reason());
  SSL_CTX_set_alpn_select_cb(native, select_alpn, nullptr);
  if (SSL_CTX_use_certificate_chain_file(native, cert_file.c_str()) != 1)
    return qs::error(errc::tls_files,
                     "cannot use TLS certificate " + cert_file + ": " + openssl_reason());
  if (SSL_CTX_use_PrivateKey_file(native, key_file.c_str(), SSL_FILETYPE_PEM) != 1)
    return qs::error(errc::tls_files, "cannot use TLS key " + key_file + " with certificate " +
                                          cert_file + ": " + openssl_reason());
  if (SSL_CTX_check_private_key(native) != 1)
    return qs::error(errc::tls_files,
                     "TLS key " + key_file + " does not match certificate " + cert_file);
  return ctx;
}

} // namespace qs::runtime::http
