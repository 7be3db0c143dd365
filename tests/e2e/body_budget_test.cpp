// Request bodies held at once are bounded across connections: past the budget
// a request is refused with 503 and Retry-After before its body is read, and
// once the bodies in hand are answered the next is admitted.
#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include "tests/support/http_client.hpp"
#include "tests/support/qscan_server.hpp"

using namespace qs::test;

namespace {

constexpr std::size_t limit = 1024 * 1024;

// A valid predict body of exactly `size` bytes (padded with spaces).
std::string body_of_size(std::size_t size) {
  std::string body = scan_results_body(1, "budget-");
  body.resize(size, ' ');
  return body;
}

std::string head_for(std::size_t size) {
  return "POST /ai-threat-predictor/predict HTTP/1.1\r\nHost: x\r\n"
         "Content-Type: application/json\r\nContent-Length: " +
         std::to_string(size) + "\r\n\r\n";
}

} // namespace

TEST_CASE("past the body budget a request gets 503 with Retry-After before its body is sent, and "
          "is admitted once the others are answered",
          "[budget]") {
  // The default budget is twice the body limit: two bodies at the limit at once.
  qscan_server server({"--body-limit", std::to_string(limit)});
  http_client first(server.port()), second(server.port()), third(server.port());
  first.send_raw(head_for(limit));
  second.send_raw(head_for(limit));
  // Both are admitted and wait for their bodies; the third is refused at once.
  CHECK(!first.closed_by_peer(std::chrono::milliseconds(200)));
  third.send_raw(head_for(limit));
  auto refused = third.read_reply();
  CHECK(refused.status == 503);
  CHECK(refused.json().at("error").at("code") == "server_busy");
  CHECK(refused.headers["retry-after"] == "1");
  CHECK(!refused.headers["x-request-id"].empty());
  CHECK(third.closed_by_peer(std::chrono::seconds(5)));
  // A small body needs budget too, and there is none left.
  auto small = http_post_json(server.port(), "/ai-threat-predictor/predict", scan_results_body(1));
  CHECK(small.status == 503);
  // Bodiless requests are never refused for it.
  http_client health(server.port());
  CHECK(health.request("GET", "/healthz").status == 200);
  const auto body = body_of_size(limit);
  first.send_raw(body);
  second.send_raw(body);
  CHECK(first.read_reply().status == 200);
  CHECK(second.read_reply().status == 200);
  http_client fourth(server.port());
  fourth.send_raw(head_for(limit) + body);
  CHECK(fourth.read_reply().status == 200);
}

TEST_CASE("a chunked body is admitted chunk by chunk against the same budget", "[budget]") {
  qscan_server server(
      {"--body-limit", std::to_string(limit), "--body-budget", std::to_string(limit)});
  http_client holder(server.port());
  holder.send_raw(head_for(limit)); // holds the whole budget
  CHECK(!holder.closed_by_peer(std::chrono::milliseconds(200)));
  http_client chunked(server.port());
  chunked.send_raw("POST /v1/enhance HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                   "2\r\n{}\r\n0\r\n\r\n");
  auto refused = chunked.read_reply();
  CHECK(refused.status == 503);
  CHECK(refused.json().at("error").at("code") == "server_busy");
  holder.send_raw(body_of_size(limit));
  CHECK(holder.read_reply().status == 200);
}
