// The scanner's ClientHello against a real TLS server (OpenSSL, in memory: no
// sockets), and the parsers of what it answers.
#include <catch2/catch.hpp>

#include <memory>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "actors/scanner/tls/client_hello.hpp"
#include "actors/scanner/tls/handshake_reader.hpp"
#include "actors/scanner/tls/key_shares.hpp"
#include "actors/scanner/tls/registry.hpp"
#include "actors/scanner/tls/server_messages.hpp"

using namespace qs::scanner::tls;

namespace {

// A server SSL_CTX with a fresh self-signed certificate on a `curve` key ("" for RSA-2048).
std::shared_ptr<SSL_CTX> server_context(const char* curve) {
  EVP_PKEY* key = curve[0] ? EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", curve)
                           : EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(2048));
  REQUIRE(key);
  X509* cert = X509_new();
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), 0);
  X509_gmtime_adj(X509_getm_notAfter(cert), 86400);
  X509_set_pubkey(cert, key);
  X509_NAME_add_entry_by_txt(X509_get_subject_name(cert), "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
  X509_set_issuer_name(cert, X509_get_subject_name(cert));
  REQUIRE(X509_sign(cert, key, EVP_sha256()) > 0);
  std::shared_ptr<SSL_CTX> ctx(SSL_CTX_new(TLS_server_method()), SSL_CTX_free);
  SSL_CTX_set_security_level(ctx.get(), 0);
  SSL_CTX_set_min_proto_version(ctx.get(), 0);
  REQUIRE(SSL_CTX_use_certificate(ctx.get(), cert) == 1);
  REQUIRE(SSL_CTX_use_PrivateKey(ctx.get(), key) == 1);
  SSL_CTX_set_dh_auto(ctx.get(), 1);
  X509_free(cert);
  EVP_PKEY_free(key);
  return ctx;
}

// Feeds the ClientHello to a fresh server connection and returns its first flight.
std::string answer(SSL_CTX* ctx, const client_hello_offer& offer) {
  std::unique_ptr<SSL, decltype(&SSL_free)> ssl(SSL_new(ctx), SSL_free);
  BIO* in = BIO_new(BIO_s_mem());
  BIO* out = BIO_new(BIO_s_mem());
  SSL_set_bio(ssl.get(), in, out);
  SSL_set_accept_state(ssl.get());
  const auto hello = client_hello_records(offer);
  BIO_write(in, hello.data(), static_cast<int>(hello.size()));
  SSL_do_handshake(ssl.get());
  ERR_clear_error();
  std::string flight;
  char buf[4096];
  for (int n; (n = BIO_read(out, buf, sizeof buf)) > 0;)
    flight.append(buf, static_cast<std::size_t>(n));
  return flight;
}

struct read_flight {
  std::optional<server_hello> hello;
  std::vector<handshake_message> rest;
  handshake_reader reader;
};

read_flight read(const std::string& bytes, std::size_t step = 0) {
  read_flight out;
  for (std::size_t at = 0; at < bytes.size(); at += step ? step : bytes.size())
    out.reader.feed(std::string_view(bytes).substr(at, step ? step : bytes.size()));
  while (auto m = out.reader.next()) {
    if (m->type == 2 && !out.hello) {
      auto sh = parse_server_hello(m->body);
      REQUIRE(std::holds_alternative<server_hello>(sh));
      out.hello = std::get<server_hello>(sh);
    } else {
      out.rest.push_back(std::move(*m));
    }
  }
  return out;
}

std::vector<std::uint16_t> suites_where(bool (*keep)(const cipher_suite&)) {
  std::vector<std::uint16_t> out;
  for (const auto& s : cipher_suites())
    if (keep(s))
      out.push_back(s.code);
  return out;
}

const std::vector<std::uint16_t> all_schemes = [] {
  std::vector<std::uint16_t> out;
  for (const auto& s : signature_schemes())
    out.push_back(s.code);
  return out;
}();

} // namespace

TEST_CASE("a TLS 1.3 hello with an X25519 share gets a ServerHello naming TLS 1.3 and x25519",
          "[scanner][tls]") {
  auto ctx = server_context("prime256v1");
  client_hello_offer o;
  o.versions = {tls13, tls12};
  o.suites = suites_where([](const cipher_suite& s) { return s.tls13; });
  o.groups = {0x001D, 0x0017};
  o.key_share_groups = {0x001D};
  o.signature_schemes = all_schemes;
  o.server_name = "localhost";
  const auto bytes = answer(ctx.get(), o);
  for (std::size_t step : {0, 1, 5, 100}) {
    INFO("read in pieces of " << step);
    auto got = read(bytes, step);
    REQUIRE(got.hello);
    CHECK(got.hello->version() == tls13);
    CHECK(!got.hello->hello_retry);
    CHECK(got.hello->group == 0x001D);
    REQUIRE(find_suite(got.hello->cipher_suite));
    CHECK(find_suite(got.hello->cipher_suite)->tls13);
    CHECK(got.reader.encrypted()); // the rest of TLS 1.3's flight is ciphertext
  }
}

TEST_CASE("a group offered without a share the server wants gets a HelloRetryRequest for it",
          "[scanner][tls]") {
  auto ctx = server_context("prime256v1");
  REQUIRE(SSL_CTX_set1_groups_list(ctx.get(), "P-384") == 1);
  client_hello_offer o;
  o.versions = {tls13};
  o.suites = suites_where([](const cipher_suite& s) { return s.tls13; });
  o.groups = {0x001D, 0x0018};
  o.key_share_groups = {0x001D};
  o.signature_schemes = all_schemes;
  auto got = read(answer(ctx.get(), o));
  REQUIRE(got.hello);
  CHECK(got.hello->hello_retry);
  CHECK(got.hello->group == 0x0018);
  // With a real P-384 share instead, the server accepts it outright.
  o.key_share_groups = {0x0018};
  auto direct = read(answer(ctx.get(), o));
  REQUIRE(direct.hello);
  CHECK(!direct.hello->hello_retry);
  CHECK(direct.hello->group == 0x0018);
}

TEST_CASE("in TLS 1.2 the certificate and the ECDHE curve are read in the clear",
          "[scanner][tls]") {
  auto ctx = server_context("secp384r1");
  client_hello_offer o;
  o.suites = suites_where([](const cipher_suite& s) { return s.key_exchange == "ECDHE"; });
  o.groups = {0x0018, 0x001D};
  o.signature_schemes = all_schemes;
  auto got = read(answer(ctx.get(), o), 7);
  REQUIRE(got.hello);
  CHECK(got.hello->version() == tls12);
  CHECK(find_suite(got.hello->cipher_suite)->authentication == "ECDSA");
  REQUIRE(got.rest.size() >= 3); // Certificate, ServerKeyExchange, ServerHelloDone
  CHECK(got.rest[0].type == 11);
  auto chain = parse_certificate_list(got.rest[0].body);
  REQUIRE(std::holds_alternative<std::vector<std::string>>(chain));
  CHECK(std::get<std::vector<std::string>>(chain).size() == 1);
  CHECK(got.rest[1].type == 12);
  auto ske = parse_server_key_exchange(got.rest[1].body, "ECDHE", tls12);
  REQUIRE(std::holds_alternative<server_key_exchange>(ske));
  CHECK(std::get<server_key_exchange>(ske).named_curve == 0x0018);
  CHECK(std::get<server_key_exchange>(ske).signature_scheme.has_value());
  CHECK(got.rest[2].type == 14);
}

TEST_CASE("a DHE key exchange names its prime's size, and an RSA certificate is served for "
          "RSA suites",
          "[scanner][tls]") {
  auto ctx = server_context("");
  client_hello_offer o;
  o.suites = suites_where([](const cipher_suite& s) { return s.key_exchange == "DHE"; });
  o.signature_schemes = all_schemes;
  auto got = read(answer(ctx.get(), o));
  REQUIRE(got.hello);
  CHECK(find_suite(got.hello->cipher_suite)->key_exchange == "DHE");
  REQUIRE(got.rest.size() >= 2);
  auto ske = parse_server_key_exchange(got.rest[1].body, "DHE", tls12);
  REQUIRE(std::holds_alternative<server_key_exchange>(ske));
  const auto name = dhe_group_name(std::get<server_key_exchange>(ske).dh_prime);
  INFO(name);
  CHECK((name.rfind("ffdhe", 0) == 0 || name == "dhe-2048" || name == "dhe-3072"));
}

TEST_CASE("a version the server refuses is answered with a protocol_version alert",
          "[scanner][tls]") {
  auto ctx = server_context("prime256v1");
  SSL_CTX_set_min_proto_version(ctx.get(), TLS1_2_VERSION);
  client_hello_offer o;
  o.legacy_version = tls11;
  o.suites = suites_where([](const cipher_suite& s) { return !s.tls13 && !s.tls12_only; });
  auto got = read(answer(ctx.get(), o));
  CHECK(!got.hello);
  REQUIRE(got.reader.alert());
  CHECK(alert_name(got.reader.alert()->description) == "protocol_version");
}

TEST_CASE("ML-KEM encapsulation keys have the FIPS 203 sizes and pass its modulus check",
          "[scanner][tls]") {
  for (auto [k, size] : {std::pair{2, 800u}, {3, 1184u}, {4, 1568u}}) {
    const auto key = mlkem_encapsulation_key(k);
    CHECK(key.size() == size);
    CHECK(mlkem_modulus_check(key));
  }
  std::string bad = mlkem_encapsulation_key(3);
  bad[0] = '\xff';
  bad[1] = '\x0f'; // coefficient 0xfff >= 3329
  CHECK(!mlkem_modulus_check(bad));
  for (const auto& g : named_groups()) {
    INFO(g.name);
    const auto share = key_share_for(g);
    if (g.name.rfind("sect", 0) != 0) // binary curves may be left out of OpenSSL
      CHECK(share.size() == g.key_share_bytes);
  }
}

TEST_CASE("bytes that are not TLS are recognised, and a ClientHello over 16 KiB is split into "
          "records",
          "[scanner][tls]") {
  handshake_reader http;
  http.feed("HTTP/1.1 400 Bad Request\r\n\r\n");
  CHECK(http.error().find("not TLS") == 0);
  CHECK(http.error().find("HTTP/1.1") != std::string::npos);
  client_hello_offer big;
  big.versions = {tls13};
  big.suites = {0x1301};
  for (const auto& g : named_groups())
    if (g.kind == group_kind::post_quantum || g.kind == group_kind::hybrid ||
        g.kind == group_kind::finite_field)
      big.groups.push_back(g.code), big.key_share_groups.push_back(g.code);
  big.server_name = std::string(8000, 'a') + ".example"; // to pass 16 KiB with the shares
  const auto records = client_hello_records(big);
  const auto message = client_hello_message(big);
  CHECK(message.size() > 16384);
  CHECK(records.size() == message.size() + 5 * ((message.size() + 16383) / 16384));
}

TEST_CASE("cipher suites are described from their IANA names", "[scanner][tls]") {
  const auto* fs = find_suite(0xC02F);
  REQUIRE(fs);
  CHECK(fs->name == "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
  CHECK(fs->key_exchange == "ECDHE");
  CHECK(fs->authentication == "RSA");
  CHECK(fs->cipher == "AES_128_GCM");
  CHECK(fs->mac == "SHA256");
  CHECK(fs->forward_secret);
  CHECK(fs->tls12_only);
  const auto* rsa = find_suite(0x002F);
  CHECK(!rsa->forward_secret);
  CHECK(rsa->authentication == "RSA");
  CHECK(!rsa->tls12_only);
  CHECK(find_suite(0x0003)->export_grade);
  CHECK(find_suite(0x0034)->anonymous);
  CHECK(find_suite(0x0002)->null_cipher);
  CHECK(find_suite(0x1301)->tls13);
  CHECK(find_suite(0xC0AC)->mac.empty()); // ..._AES_128_CCM
  CHECK(find_suite(0xC0AC)->cipher == "AES_128_CCM");
  CHECK(find_group("X25519MLKEM768")->key_share_bytes == 1216);
  CHECK(version_name(tls13) == "TLSv1.3");
  CHECK(version_name(0x7f1c) == "0x7f1c");
}
