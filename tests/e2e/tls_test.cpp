// The bridge over TLS (--tls-cert, --tls-key): TLS 1.2 and 1.3 only, ALPN
// http/1.1, a client that never finishes its handshake is cut off, a plain
// HTTP client gets nothing it could mistake for an answer, and SIGHUP swaps
// in a new certificate for new connections.
#include <catch2/catch.hpp>

#include <csignal>
#include <filesystem>

#include <openssl/ssl.h>

#include "tests/support/http_client.hpp"
#include "tests/support/process.hpp"
#include "tests/support/qscan_server.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/tls_client.hpp"
#include "tests/support/wait.hpp"

using namespace qs::test;

namespace {

// A self-signed certificate for localhost, made by the openssl command.
void make_certificate(const std::string& cert, const std::string& key, const char* curve) {
  auto openssl = child_process::start({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                                       std::string("ec_paramgen_curve:") + curve, "-nodes",
                                       "-keyout", key, "-out", cert, "-days", "2", "-subj",
                                       "/CN=localhost", "-addext", "subjectAltName=DNS:localhost"});
  REQUIRE(openssl.wait(std::chrono::seconds(30)) == 0);
}

const std::string get_health =
    "GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";

} // namespace

TEST_CASE("over TLS the bridge answers TLS 1.2 and 1.3 clients, refuses older ones, and chooses "
          "http/1.1",
          "[tls]") {
  temp_dir dir;
  make_certificate(dir.file("cert.pem"), dir.file("key.pem"), "P-256");
  qscan_server server({"--tls-cert", dir.file("cert.pem"), "--tls-key", dir.file("key.pem")});
  auto v13 = tls_exchange(server.port(), get_health);
  REQUIRE(v13.handshake);
  CHECK(v13.protocol == "TLSv1.3");
  CHECK(v13.reply.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
  CHECK(v13.reply.find("\"status\":\"healthy\"") != std::string::npos);
  auto v12 = tls_exchange(server.port(), get_health, {TLS1_2_VERSION, TLS1_2_VERSION, "", {}});
  REQUIRE(v12.handshake);
  CHECK(v12.protocol == "TLSv1.2");
  CHECK(v12.reply.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
  auto v11 = tls_exchange(server.port(), get_health, {TLS1_VERSION, TLS1_1_VERSION, "", {}});
  CHECK(!v11.handshake);
  auto alpn = tls_exchange(server.port(), get_health, {0, 0, "h2,http/1.1", {}});
  REQUIRE(alpn.handshake);
  CHECK(alpn.alpn == "http/1.1");
  // A request over TLS goes through the same reader: smuggling is refused there too.
  auto smuggle = tls_exchange(server.port(), "POST /v1/enhance HTTP/1.1\r\nHost: x\r\n"
                                             "Transfer-Encoding: gzip\r\n\r\n" +
                                                 get_health);
  REQUIRE(smuggle.handshake);
  CHECK(smuggle.reply.rfind("HTTP/1.1 400 Bad Request\r\n", 0) == 0);
  CHECK(smuggle.reply.find("HTTP/1.1 200") == std::string::npos);
  CHECK(server.process().running());
}

TEST_CASE("a plain HTTP client or a silent one on the TLS port is closed, and the server lives",
          "[tls]") {
  temp_dir dir;
  make_certificate(dir.file("cert.pem"), dir.file("key.pem"), "P-256");
  qscan_server server({"--tls-cert", dir.file("cert.pem"), "--tls-key", dir.file("key.pem"),
                       "--read-timeout-ms", "500"});
  http_client plain(server.port(), std::chrono::seconds(5));
  plain.send_raw(get_health);
  std::string got;
  CHECK(plain.read_until_closed(std::chrono::seconds(5), got));
  CHECK(got.find("HTTP/1.1 200") == std::string::npos);
  http_client silent(server.port());
  silent.send_raw("");
  CHECK(silent.closed_by_peer(std::chrono::seconds(5)));
  CHECK(tls_exchange(server.port(), get_health).reply.rfind("HTTP/1.1 200 OK", 0) == 0);
}

TEST_CASE("SIGHUP serves a renewed certificate to new connections; a bad one keeps the old",
          "[tls]") {
  temp_dir dir;
  const auto cert = dir.file("cert.pem"), key = dir.file("key.pem");
  make_certificate(cert, key, "P-256");
  qscan_server server({"--tls-cert", cert, "--tls-key", key});
  const auto before = tls_exchange(server.port(), get_health).peer_sha256;
  REQUIRE(!before.empty());
  make_certificate(cert, key, "P-384");
  server.process().signal(SIGHUP);
  std::string after;
  CHECK(wait_until(
      [&] {
        after = tls_exchange(server.port(), get_health).peer_sha256;
        return !after.empty() && after != before;
      },
      std::chrono::seconds(10)));
  // A key that does not match the certificate is refused; the server keeps serving.
  make_certificate(dir.file("other.pem"), key, "P-256");
  server.process().signal(SIGHUP);
  CHECK(wait_until(
      [&] {
        return server.process().stderr_tail().find("kept the old TLS certificate") !=
               std::string::npos;
      },
      std::chrono::seconds(10)));
  CHECK(tls_exchange(server.port(), get_health).peer_sha256 == after);
}

TEST_CASE("a TLS key that does not match its certificate is refused at start with the reason",
          "[tls]") {
  temp_dir dir;
  make_certificate(dir.file("a.pem"), dir.file("a.key"), "P-256");
  make_certificate(dir.file("b.pem"), dir.file("b.key"), "P-256");
  auto serve = child_process::start({QSCAN_BINARY, "serve", "--listen", "127.0.0.1:0", "--data-dir",
                                     dir.file("data"), "--tls-cert", dir.file("a.pem"), "--tls-key",
                                     dir.file("b.key")});
  CHECK(serve.wait(std::chrono::seconds(30)) != 0);
  CHECK(serve.stderr_tail().find("key values mismatch") != std::string::npos);
}
