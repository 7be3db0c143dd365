// The bridge against a hostile client speaking raw HTTP/1.1 to a real `qscan
// serve`: trailers and chunk extensions that try to get around the limits,
// request smuggling through Transfer-Encoding, HEAD, Host and the request
// target's forms. Each case checks the status and error shape, that the
// connection is closed where it must be, that nothing smuggled is answered,
// and that the process lives and answers the next request.
#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include "tests/support/http_client.hpp"
#include "tests/support/qscan_server.hpp"
#include "tests/support/raw_http.hpp"
#include "tests/support/temp_dir.hpp"

#include <fstream>

using namespace qs::test;

namespace {

const std::string chunked_head = "POST /v1/enhance HTTP/1.1\r\nHost: x\r\n"
                                 "Content-Type: application/json\r\n"
                                 "Transfer-Encoding: chunked\r\n\r\n";

// The smuggled request some framings would read as a second one.
const std::string smuggled = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";

const std::string user_key = "user-key-0123456789";

// The process runs and answers a predict request (with `key` when keys are on).
void require_alive(qscan_server& server, const std::string& key = {}) {
  REQUIRE(server.process().running());
  http_client client(server.port());
  std::vector<std::pair<std::string, std::string>> headers = {{"Content-Type", "application/json"}};
  if (!key.empty())
    headers.emplace_back("Authorization", "Bearer " + key);
  REQUIRE(client.request("POST", "/ai-threat-predictor/predict", scan_results_body(1), headers)
              .status == 200);
}

std::string error_code_of(const http_reply& reply) {
  return std::string(boost::json::parse(reply.body).at("error").at("code").as_string());
}

// One answer, an error of `status` and `code` with a request id, and the
// connection closed after it.
void check_refused(const raw_outcome& got, int status, const std::string& code) {
  REQUIRE(got.replies.size() == 1);
  CHECK(got.replies[0].status == status);
  CHECK(error_code_of(got.replies[0]) == code);
  CHECK(got.replies[0].headers.count("x-request-id") == 1);
  CHECK(got.closed);
  CHECK(got.trailing.empty());
}

std::size_t rss_mib(qscan_server& server) {
  return server.process().resident_kib() / 1024;
}

} // namespace

TEST_CASE("a trailer of 65,534 bytes or more gets 431, with or without API keys, and the server "
          "lives",
          "[hostile][http]") {
  temp_dir dir;
  { std::ofstream(dir.file("keys")) << user_key << " scorpius user\n"; }
  for (bool keys : {false, true}) {
    INFO("API keys " << (keys ? "on" : "off"));
    qscan_server server(keys ? std::vector<std::string>{"--api-keys", dir.file("keys")}
                             : std::vector<std::string>{});
    for (const std::string& field :
         {"X-T: " + std::string(65534, 't'), std::string(65534, 'n') + ": v"}) {
      auto got = exchange(server.port(), chunked_head + "2\r\n{}\r\n0\r\n" + field + "\r\n\r\n");
      check_refused(got, 431, "headers_too_large");
    }
    require_alive(server, keys ? user_key : "");
  }
}

TEST_CASE("trailers count against the header limit, are never stored, and cannot stand in for "
          "a header",
          "[hostile][http]") {
  temp_dir dir;
  { std::ofstream(dir.file("keys")) << user_key << " scorpius user\n"; }
  qscan_server server({"--api-keys", dir.file("keys")});
  // A header of ~9 KB and a trailer of ~9 KB: each under 16 KB, together over it.
  const std::string big(9000, 'a');
  auto got = exchange(server.port(), "POST /v1/enhance HTTP/1.1\r\nHost: x\r\nX-Pad: " + big +
                                         "\r\nTransfer-Encoding: chunked\r\n\r\n"
                                         "2\r\n{}\r\n0\r\nX-Trailer: " +
                                         big + "\r\n\r\n");
  check_refused(got, 431, "headers_too_large");
  // A key sent only as a trailer is not a key: the request is unauthenticated.
  auto trailer_key = exchange(server.port(), chunked_head + "2\r\n{}\r\n0\r\nAuthorization: Bearer "
                                                            "user-key-0123456789\r\n\r\n");
  REQUIRE(!trailer_key.replies.empty());
  CHECK(trailer_key.replies[0].status == 401);
  // Small trailers with a real key are read and dropped: the request is answered.
  auto fine =
      exchange(server.port(), "POST /v1/enhance HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                              "Authorization: Bearer user-key-0123456789\r\n"
                              "Transfer-Encoding: chunked\r\n\r\n"
                              "13\r\n{\"scan_results\":[]}\r\n0\r\nX-Checksum: abc\r\n\r\n");
  REQUIRE(fine.replies.size() == 1);
  CHECK(fine.replies[0].status == 200);
  require_alive(server, user_key);
}

TEST_CASE("a 128 MB chunk-extension line and 32 MB of trailer lines get 431 without the "
          "server's memory growing",
          "[hostile][http]") {
  qscan_server server;
  require_alive(server);
  const auto before = rss_mib(server);
  auto ext = stream(server.port(), chunked_head + "2;", std::string(65536, 'e'), 128u << 20);
  REQUIRE(!ext.replies.empty());
  CHECK(ext.replies[0].status == 431);
  CHECK(ext.closed);
  std::string lines;
  for (int i = 0; i < 8192; ++i)
    lines += "X-T: t\r\n"; // 200,000 and more trailer fields: none is kept
  auto trailers =
      stream(server.port(), chunked_head + "2\r\n{}\r\n0\r\n", lines, 32u << 20, "\r\n");
  REQUIRE(!trailers.replies.empty());
  CHECK(trailers.replies[0].status == 431);
  CHECK(trailers.closed);
  require_alive(server);
  // Stated bound: the connection holds at most the header limit plus one read
  // (80 KiB); allow 16 MiB for the allocator and the requests above.
  INFO("RSS before " << before << " MiB, after " << rss_mib(server) << " MiB, peak "
                     << server.process().peak_resident_kib() / 1024 << " MiB");
  CHECK(rss_mib(server) < before + 16);
  CHECK(server.process().peak_resident_kib() / 1024 < before + 16);
}

TEST_CASE("a Transfer-Encoding not ending in chunked is refused with 400 and the connection "
          "closed, so a body is never read as a second request",
          "[hostile][http]") {
  qscan_server server;
  for (const std::string te :
       {"gzip", "identity", "xchunked", "chunked, gzip", "chunked;q=1", "chunked, chunked", ""}) {
    for (bool with_length : {false, true}) {
      INFO("Transfer-Encoding: " << te << (with_length ? " with Content-Length" : ""));
      std::string request =
          "POST /v1/enhance HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: " + te + "\r\n";
      if (with_length)
        request += "Content-Length: " + std::to_string(smuggled.size()) + "\r\n";
      auto got = exchange(server.port(), request + "\r\n" + smuggled);
      check_refused(got, 400, "bad_request");
    }
  }
  // Chunked with a Content-Length beside it, in either order.
  for (const std::string fields : {"Transfer-Encoding: chunked\r\nContent-Length: 5\r\n",
                                   "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n"}) {
    INFO(fields);
    auto got = exchange(server.port(), "POST /v1/enhance HTTP/1.1\r\nHost: x\r\n" + fields +
                                           "\r\n0\r\n\r\n" + smuggled);
    check_refused(got, 400, "bad_request");
  }
  // A coding this server does not decode, before chunked: 501, closed.
  auto gzip =
      exchange(server.port(), "POST /v1/enhance HTTP/1.1\r\nHost: x\r\n"
                              "Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n"
                              "0\r\n\r\n" +
                                  smuggled);
  check_refused(gzip, 501, "not_implemented");
  // Transfer-Encoding in HTTP/1.0, and two different Content-Lengths.
  check_refused(exchange(server.port(), "POST /v1/enhance HTTP/1.0\r\nHost: x\r\n"
                                        "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n" +
                                            smuggled),
                400, "bad_request");
  check_refused(exchange(server.port(), "POST /v1/enhance HTTP/1.1\r\nHost: x\r\n"
                                        "Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}" +
                                            smuggled),
                400, "bad_request");
  require_alive(server);
}

TEST_CASE("HEAD is answered like GET without a body, so the connection keeps its framing",
          "[hostile][http]") {
  qscan_server server;
  require_alive(server); // stores asset-0, so /v1/assets/asset-0 exists
  for (const char* path : {"/healthz", "/status", "/quantum/ai-threat-predictor/model-info",
                           "/v1/health", "/metrics", "/v1/assets/asset-0", "/v1/assets/none"}) {
    INFO(path);
    http_client client(server.port());
    auto get = client.request("GET", path);
    client.send_raw(std::string("HEAD ") + path + " HTTP/1.1\r\nHost: x\r\n\r\n");
    auto head = client.read_reply(true);
    CHECK(head.status == get.status);
    CHECK(head.headers["content-type"] == get.headers["content-type"]);
    CHECK(!head.headers["content-length"].empty());
    CHECK(head.body.empty());
    // The next answer on the same connection is whole and in its place.
    auto after = client.request("GET", "/healthz");
    CHECK(after.status == 200);
    CHECK(boost::json::parse(after.body).at("status") == "healthy");
  }
  // Pipelined: a HEAD then a GET in one write come back as two framed replies.
  auto both = exchange(server.port(),
                       "HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
                       "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                       std::chrono::seconds(3), {true, false});
  REQUIRE(both.replies.size() == 2);
  CHECK(both.replies[0].body.empty());
  CHECK(std::stoul(both.replies[0].headers["content-length"]) == both.replies[1].body.size());
  CHECK(both.trailing.empty());
  // HEAD where only POST is: 405, and Allow says so.
  http_client client(server.port());
  client.send_raw("HEAD /ai-threat-predictor/predict HTTP/1.1\r\nHost: x\r\n\r\n");
  auto refused = client.read_reply(true);
  CHECK(refused.status == 405);
  CHECK(refused.headers["allow"] == "POST");
  auto get405 = client.request("POST", "/status");
  CHECK(get405.headers["allow"] == "GET, HEAD");
}

TEST_CASE("an HTTP/1.1 request needs exactly one valid Host; absolute-form targets are served",
          "[hostile][http]") {
  qscan_server server;
  const std::string port = std::to_string(server.port());
  check_refused(exchange(server.port(), "GET /healthz HTTP/1.1\r\n\r\n"), 400, "bad_request");
  check_refused(exchange(server.port(), "GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"), 400,
                "bad_request");
  for (const char* bad : {"a b", "a/b", "user@host", "h:port", "[::1"}) {
    INFO(bad);
    check_refused(
        exchange(server.port(), "GET /healthz HTTP/1.1\r\nHost: " + std::string(bad) + "\r\n\r\n"),
        400, "bad_request");
  }
  // HTTP/1.0 may omit Host.
  auto old = exchange(server.port(), "GET /healthz HTTP/1.0\r\n\r\n");
  REQUIRE(old.replies.size() == 1);
  CHECK(old.replies[0].status == 200);
  // Absolute form: the path is taken from the URL, with its query.
  auto absolute = exchange(server.port(), "GET http://127.0.0.1:" + port +
                                              "/healthz HTTP/1.1\r\nHost: 127.0.0.1:" + port +
                                              "\r\nConnection: close\r\n\r\n");
  REQUIRE(absolute.replies.size() == 1);
  CHECK(absolute.replies[0].status == 200);
  auto with_query = exchange(server.port(), "GET HTTP://[::1]:" + port +
                                                "/v1/assets/none?limit=5 HTTP/1.1\r\nHost: x\r\n"
                                                "Connection: close\r\n\r\n");
  REQUIRE(with_query.replies.size() == 1);
  CHECK(with_query.replies[0].status == 404); // routed: no such asset, not "no route"
  CHECK(boost::json::parse(with_query.replies[0].body).at("error").at("message") ==
        "no stored scan results for asset none");
  check_refused(exchange(server.port(), "GET ftp://x/healthz HTTP/1.1\r\nHost: x\r\n\r\n"), 400,
                "bad_request");
  require_alive(server);
}

TEST_CASE("every answer the server gives itself has a request id and is counted",
          "[hostile][http]") {
  qscan_server server({"--read-timeout-ms", "500"});
  auto got = exchange(server.port(), "GET /healthz HTTP/1.1\r\n\r\n");
  check_refused(got, 400, "bad_request");
  auto slow = exchange(server.port(), "GET /healthz HTTP/1.1\r\nHost:", std::chrono::seconds(5));
  check_refused(slow, 408, "request_timeout");
  http_client client(server.port());
  auto metrics = client.request("GET", "/metrics").body;
  CHECK(metrics.find(R"(qscan_http_requests_total{route="unrouted",status="400"} 1)") !=
        std::string::npos);
  CHECK(metrics.find(R"(qscan_http_requests_total{route="unrouted",status="408"} 1)") !=
        std::string::npos);
}
