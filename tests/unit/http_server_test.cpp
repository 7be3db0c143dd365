// The HTTP server seen from a client: keep-alive, pipelining, limits, timeouts,
// answers from other threads and a graceful stop.
#include <catch2/catch.hpp>

#include <atomic>
#include <future>
#include <mutex>
#include <optional>
#include <thread>

#include <boost/json.hpp>

#include "runtime/http/server.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/wait.hpp"

namespace http = qs::runtime::http;
using qs::test::http_client;
using qs::test::http_reply;
using qs::test::wait_until;
using namespace std::chrono_literals;

namespace {

http::server_options local_options() {
  http::server_options options;
  options.host = "127.0.0.1";
  options.port = 0;
  options.threads = 2;
  return options;
}

std::unique_ptr<http::server> start(const http::server_options& options, http::handler_fn handler) {
  auto started = http::start_server(options, std::move(handler));
  INFO((started ? "" : started.error().message));
  REQUIRE(started);
  return std::move(*started);
}

/// Answers with what it received, as JSON.
void echo(http::request req, http::respond_fn respond) {
  boost::json::object answer{{"method", req.method},
                             {"path", std::string(req.path())},
                             {"body", req.body},
                             {"tag", std::string(req.header("x-tag"))}};
  respond({200, boost::json::serialize(answer), "application/json", {}, {}});
}

std::string body_of(const http_reply& reply, const char* field) {
  return std::string(reply.json().at(field).as_string());
}

std::string error_code_of(const http_reply& reply) {
  return std::string(reply.json().at("error").at("code").as_string());
}

void check_standard_headers(const http_reply& reply) {
  CHECK(reply.headers.count("content-type") == 1);
  CHECK(reply.headers.count("content-length") == 1);
  CHECK(reply.headers.at("x-content-type-options") == "nosniff");
  CHECK(reply.headers.at("cache-control") == "no-store");
  CHECK(reply.headers.at("server") == "qscan");
}

} // namespace

TEST_CASE("two requests on one connection are both answered (keep-alive)", "[http]") {
  auto server = start(local_options(), echo);
  http_client client(server->port());

  auto first = client.request("POST", "/one", "a");
  // The second goes out on the same socket: send_raw never reconnects.
  client.send_raw("GET /two HTTP/1.1\r\nHost: x\r\n\r\n");
  auto second = client.read_reply();

  CHECK(first.status == 200);
  CHECK(body_of(first, "path") == "/one");
  CHECK(second.status == 200);
  CHECK(body_of(second, "path") == "/two");
  CHECK(server->stats().connections_open == 1);
}

TEST_CASE("pipelined requests sent in one write are answered in order", "[http]") {
  auto server = start(local_options(), echo);
  http_client client(server->port());

  client.send_raw("POST /first HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
                  "POST /second HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nde");
  auto first = client.read_reply();
  auto second = client.read_reply();

  CHECK(body_of(first, "path") == "/first");
  CHECK(body_of(first, "body") == "abc");
  CHECK(body_of(second, "path") == "/second");
  CHECK(body_of(second, "body") == "de");
}

TEST_CASE("a body declared larger than the limit gets 413 before it is sent", "[http]") {
  auto options = local_options();
  options.body_limit = 1024;
  auto server = start(options, echo);
  http_client client(server->port());

  client.send_raw("POST /big HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n\r\n");
  auto reply = client.read_reply();

  CHECK(reply.status == 413);
  CHECK(error_code_of(reply) == "payload_too_large");
  check_standard_headers(reply);
  CHECK(client.closed_by_peer(5s));
}

TEST_CASE("a chunked body that grows past the limit gets 413", "[http]") {
  auto options = local_options();
  options.body_limit = 1024;
  auto server = start(options, echo);
  http_client client(server->port());

  std::string chunk(800, 'x');
  client.send_raw("POST /big HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                  "320\r\n" +
                  chunk + "\r\n320\r\n" + chunk + "\r\n0\r\n\r\n");
  auto reply = client.read_reply();

  CHECK(reply.status == 413);
  CHECK(error_code_of(reply) == "payload_too_large");
  CHECK(client.closed_by_peer(5s));
}

TEST_CASE("headers larger than the limit get 431", "[http]") {
  auto options = local_options();
  options.header_limit = 512;
  auto server = start(options, echo);
  http_client client(server->port());

  auto reply = client.request("GET", "/", "", {{"X-Padding", std::string(2000, 'p')}});

  CHECK(reply.status == 431);
  check_standard_headers(reply);
  CHECK(client.closed_by_peer(5s));
}

TEST_CASE("garbage instead of HTTP gets 400 and the connection is closed", "[http]") {
  auto server = start(local_options(), echo);
  http_client client(server->port());

  client.send_raw("\x01\x02 this is not http\r\n\r\n");
  auto reply = client.read_reply();

  CHECK(reply.status == 400);
  CHECK(error_code_of(reply) == "bad_request");
  check_standard_headers(reply);
  CHECK(client.closed_by_peer(5s));
}

TEST_CASE("a client sending one byte every 100 ms is cut off while others are answered", "[http]") {
  auto options = local_options();
  options.threads = 1; // the slow client must not hold the only I/O thread
  options.read_timeout = 300ms;
  auto server = start(options, echo);
  const std::string request = "POST /slow HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello";

  std::atomic<std::size_t> bytes_sent{0};
  auto cut_off_after = std::async(std::launch::async, [&] {
    http_client slow(server->port());
    auto began = std::chrono::steady_clock::now();
    for (char byte : request) {
      try {
        slow.send_raw(std::string_view(&byte, 1));
      } catch (const std::runtime_error&) {
        break; // reset by the server: cut off
      }
      ++bytes_sent;
      if (slow.closed_by_peer(100ms))
        break;
    }
    return std::chrono::steady_clock::now() - began;
  });

  REQUIRE(wait_until([&] { return bytes_sent > 0; }, 5s));
  http_client fast(server->port());
  auto reply = fast.request("GET", "/fast");
  CHECK(reply.status == 200);
  CHECK(bytes_sent < request.size()); // answered while the slow one still trickles

  auto elapsed = cut_off_after.get();
  CHECK(bytes_sent < request.size());
  CHECK(elapsed >= 250ms);
  CHECK(elapsed < 2s);
}

TEST_CASE("a kept-alive connection with no new request is closed after the idle timeout",
          "[http]") {
  auto options = local_options();
  options.idle_timeout = 200ms;
  auto server = start(options, echo);
  http_client client(server->port());

  REQUIRE(client.request("GET", "/").status == 200);

  CHECK(client.closed_by_peer(5s));
  CHECK(wait_until([&] { return server->stats().connections_open == 0; }, 5s));
}

TEST_CASE("many clients at once are all answered", "[http]") {
  auto server = start(local_options(), echo);
  std::vector<std::future<int>> clients;
  for (int c = 0; c < 20; ++c)
    clients.push_back(std::async(std::launch::async, [port = server->port(), c] {
      http_client client(port);
      int answered = 0;
      for (int r = 0; r < 5; ++r) {
        auto tag = std::to_string(c) + "-" + std::to_string(r);
        auto reply = client.request("POST", "/", tag, {{"X-Tag", tag}});
        answered += reply.status == 200 && body_of(reply, "tag") == tag;
      }
      return answered;
    }));

  for (auto& client : clients)
    CHECK(client.get() == 5);
}

TEST_CASE("a handler may answer from another thread", "[http]") {
  std::mutex threads_mutex;
  std::vector<std::thread> threads;
  auto server = start(local_options(), [&](http::request req, http::respond_fn respond) {
    std::lock_guard lock(threads_mutex);
    threads.emplace_back([req = std::move(req), respond = std::move(respond)] {
      respond({202,
               "{\"from\":\"worker\",\"path\":\"" + std::string(req.path()) + "\"}",
               "application/json",
               {{"X-Worker", "yes"}},
               {}});
      respond({500, "{}", "application/json", {}, {}}); // a second call is ignored
    });
  });
  http_client client(server->port());

  auto first = client.request("GET", "/a?x=1");
  auto second = client.request("GET", "/b");

  CHECK(first.status == 202);
  CHECK(body_of(first, "path") == "/a");
  CHECK(first.headers.at("x-worker") == "yes");
  check_standard_headers(first);
  CHECK(second.status == 202);
  CHECK(body_of(second, "path") == "/b");
  server->stop(5s);
  std::lock_guard lock(threads_mutex);
  for (auto& thread : threads)
    thread.join();
}

TEST_CASE("a handler that drops its respond function unanswered yields 500", "[http]") {
  auto server = start(local_options(), [](http::request, http::respond_fn) {});
  http_client client(server->port());

  auto reply = client.request("GET", "/");

  CHECK(reply.status == 500);
  CHECK(error_code_of(reply) == "internal");
}

TEST_CASE("a handler that throws yields 500 with a request id and none of the exception's text; "
          "every answer is reported once",
          "[http]") {
  std::mutex mutex;
  std::vector<std::pair<std::string, unsigned>> answers;
  auto options = local_options();
  options.on_answer = [&](std::string_view route, unsigned status, double seconds) {
    CHECK(seconds >= 0);
    std::lock_guard lock(mutex);
    answers.emplace_back(std::string(route), status);
  };
  auto server = start(options, [](http::request, http::respond_fn) {
    throw std::length_error("/usr/include/boost/whatever.hpp:42: field value too large");
  });
  http_client client(server->port());
  auto reply = client.request("GET", "/");
  CHECK(reply.status == 500);
  CHECK(reply.body.find("boost") == std::string::npos);
  CHECK(reply.body.find("too large") == std::string::npos);
  CHECK(!reply.headers["x-request-id"].empty());
  auto bad = client.request("GET", "/", "", {{"Transfer-Encoding", "gzip"}});
  CHECK(bad.status == 400);
  CHECK(!bad.headers["x-request-id"].empty());
  CHECK(bad.headers["x-request-id"] != reply.headers["x-request-id"]);
  std::lock_guard lock(mutex);
  CHECK(answers == std::vector<std::pair<std::string, unsigned>>{{"", 500}, {"", 400}});
}

TEST_CASE("stop() lets an in-flight request finish and refuses new connections", "[http]") {
  std::mutex parked_mutex;
  std::optional<http::respond_fn> parked;
  auto server = start(local_options(), [&](http::request, http::respond_fn respond) {
    std::lock_guard lock(parked_mutex);
    parked = std::move(respond);
  });
  auto port = server->port();
  auto reply = std::async(std::launch::async, [port] {
    http_client client(port);
    return client.request("POST", "/slow-work", "{}");
  });
  REQUIRE(wait_until([&] { return server->stats().requests_in_flight == 1; }, 5s));

  auto stopped = std::async(std::launch::async, [&] { server->stop(10s); });
  bool refusing = wait_until(
      [&] {
        try {
          http_client probe(port);
          probe.send_raw("");
          return false;
        } catch (const std::runtime_error&) {
          return true;
        }
      },
      5s);
  CHECK(refusing);
  CHECK(stopped.wait_for(0ms) == std::future_status::timeout); // still waiting for us
  {
    std::lock_guard lock(parked_mutex);
    (*parked)({200, R"({"done":true})", "application/json", {}, {}});
  }

  auto answer = reply.get();
  CHECK(answer.status == 200);
  CHECK(answer.body == R"({"done":true})");
  CHECK(answer.headers.at("connection") == "close");
  CHECK(stopped.wait_for(5s) == std::future_status::ready);
}

TEST_CASE("connections beyond max_connections get 503 with Retry-After", "[http]") {
  auto options = local_options();
  options.max_connections = 1;
  auto server = start(options, echo);
  http_client first(server->port());
  REQUIRE(first.request("GET", "/").status == 200);

  http_client second(server->port());
  auto reply = second.request("GET", "/");

  CHECK(reply.status == 503);
  CHECK(reply.headers.at("retry-after") == "1");
  check_standard_headers(reply);
}

TEST_CASE("every answer carries Content-Type, nosniff and the handler's own headers", "[http]") {
  auto server = start(local_options(), [](http::request, http::respond_fn respond) {
    respond({404, "not here", "text/plain", {{"X-Extra", "1"}}, {}});
  });
  http_client client(server->port());

  auto reply = client.request("GET", "/missing");

  CHECK(reply.status == 404);
  CHECK(reply.headers.at("content-type") == "text/plain");
  CHECK(reply.headers.at("x-extra") == "1");
  CHECK(reply.body == "not here");
  check_standard_headers(reply);
}

TEST_CASE("an HTTP/1.0 request without keep-alive is answered and closed", "[http]") {
  auto server = start(local_options(), echo);
  http_client client(server->port());

  client.send_raw("GET /old HTTP/1.0\r\n\r\n");
  auto reply = client.read_reply();

  CHECK(reply.status == 200);
  CHECK(client.closed_by_peer(5s));
}

TEST_CASE("binding a port already in use reports the address and the reason", "[http]") {
  auto server = start(local_options(), echo);
  auto options = local_options();
  options.port = server->port();

  auto second = http::start_server(options, echo);

  REQUIRE_FALSE(second);
  CHECK(second.error() == http::errc::bind_failed);
  CHECK(second.error().message ==
        "cannot bind 127.0.0.1:" + std::to_string(server->port()) + ": Address already in use");
}

TEST_CASE("localhost and IPv6 literals can be served", "[http]") {
  auto options = local_options();
  options.host = "localhost";
  auto by_name = start(options, echo);
  CHECK(http_client(by_name->port()).request("GET", "/").status == 200);

  options.host = "::1";
  auto started = http::start_server(options, echo); // a host without IPv6 cannot bind it
  CHECK((started || (started.error() == http::errc::bind_failed &&
                     started.error().message.find("cannot bind [::1]") == 0)));
}

TEST_CASE("requests expose headers case-insensitively, the path, and decoded query values",
          "[http]") {
  http::request req;
  req.target = "/v1/assets/a?limit=5&name=a%20b+c&empty=&flag";
  req.headers = {{"Content-Type", "application/json"}};

  CHECK(req.header("content-type") == "application/json");
  CHECK(req.header("x-missing").empty());
  CHECK(req.path() == "/v1/assets/a");
  CHECK(req.query_param("limit") == "5");
  CHECK(req.query_param("name") == "a b c");
  CHECK(req.query_param("empty").empty());
  CHECK(req.query_param("absent").empty());
}

TEST_CASE("error bodies escape their text as JSON", "[http]") {
  auto body = http::error_body("bad_request", "a \"quoted\"\nline\x01");

  auto parsed = boost::json::parse(body);
  CHECK(parsed.at("error").at("code") == "bad_request");
  CHECK(parsed.at("error").at("message") == "a \"quoted\"\nline\x01");
  CHECK(parsed.at("error").at("details").as_array().empty());
}
