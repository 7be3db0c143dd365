// Bad input gets a clear error with each bad field's path, and the server
// keeps answering everyone else.
#include <catch2/catch.hpp>

#include <algorithm>
#include <thread>

#include <boost/json.hpp>

#include "tests/support/http_client.hpp"
#include "tests/support/qscan_server.hpp"

using namespace qs::test;
namespace json = boost::json;

namespace {

const std::vector<std::pair<std::string, std::string>> json_type = {
    {"Content-Type", "application/json"}};

// The server still answers a normal request.
void require_alive(std::uint16_t port) {
  auto reply = http_post_json(port, "/ai-threat-predictor/predict", scan_results_body(1));
  REQUIRE(reply.status == 200);
}

json::object error_of(const http_reply& reply) {
  REQUIRE(reply.headers.at("content-type") == "application/json");
  return reply.json().at("error").as_object();
}

std::vector<std::string> paths_of(const json::object& error) {
  std::vector<std::string> out;
  for (const auto& d : error.at("details").as_array())
    out.emplace_back(d.at("path").as_string());
  return out;
}

} // namespace

TEST_CASE("malformed and truncated JSON get 400 saying where", "[bad-input]") {
  qscan_server server;
  http_client client(server.port());
  for (const char* body : {"{not json", R"({"scan_results":[{"asset_id":"a"})", "", "[1,2,]",
                           R"({"scan_results":[]} trailing)"}) {
    INFO(body);
    auto reply = client.request("POST", "/ai-threat-predictor/predict", body, json_type);
    CHECK(reply.status == 400);
    auto e = error_of(reply);
    CHECK(e.at("code") == "malformed_json");
    CHECK(std::string(e.at("message").as_string()).find("byte") != std::string::npos);
  }
  require_alive(server.port());
}

TEST_CASE("every wrong field is reported with its path, not just the first", "[bad-input]") {
  qscan_server server;
  auto reply = http_post_json(server.port(), "/ai-threat-predictor/predict",
                              R"({"scan_results":[
          {"asset_id":"ok"},
          {"asset_id":"a","quantum_risk_score":"high","vulnerabilities":[{"severity":"apocalyptic","cvss_score":11}]},
          {"asset_type":"web"},
          {"asset_id":"","metadata":[],"timestamp":"yesterday"},
          42]})");
  REQUIRE(reply.status == 422);
  auto e = error_of(reply);
  CHECK(e.at("code") == "invalid_request");
  auto paths = paths_of(e);
  for (const char* expected :
       {"scan_results[1].quantum_risk_score", "scan_results[1].vulnerabilities[0].severity",
        "scan_results[1].vulnerabilities[0].cvss_score", "scan_results[2].asset_id",
        "scan_results[3].asset_id", "scan_results[3].metadata", "scan_results[3].timestamp",
        "scan_results[4]"}) {
    INFO(expected);
    CHECK(std::find(paths.begin(), paths.end(), expected) != paths.end());
  }
  CHECK(paths.size() == 8);
  require_alive(server.port());
}

TEST_CASE("a quantum_risk_score out of range names the range", "[bad-input]") {
  qscan_server server;
  auto reply = http_post_json(server.port(), "/ai-threat-predictor/predict",
                              R"({"scan_results":[{"asset_id":"a","quantum_risk_score":1.5}]})");
  REQUIRE(reply.status == 422);
  auto d = error_of(reply).at("details").at(0).as_object();
  CHECK(d.at("path") == "scan_results[0].quantum_risk_score");
  CHECK(std::string(d.at("problem").as_string()).find("0 to 1") != std::string::npos);
}

TEST_CASE("a body without scan_results, or of the wrong type, is refused", "[bad-input]") {
  qscan_server server;
  http_client client(server.port());
  auto missing =
      client.request("POST", "/ai-threat-predictor/predict", R"({"results":[]})", json_type);
  CHECK(missing.status == 422);
  CHECK(paths_of(error_of(missing)) == std::vector<std::string>{"scan_results"});
  auto wrong = client.request("POST", "/ai-threat-predictor/predict", R"([1,2])", json_type);
  CHECK(wrong.status == 422);
  auto not_array = client.request("POST", "/ai-threat-predictor/predict",
                                  R"({"scan_results":{"asset_id":"a"}})", json_type);
  CHECK(not_array.status == 422);
}

TEST_CASE("very deep nesting is refused with 400, never a stack overflow", "[bad-input]") {
  qscan_server server;
  std::string deep = R"({"scan_results":[{"asset_id":"a","metadata":)";
  deep += std::string(200000, '[') + std::string(200000, ']') + "}]}";
  auto reply = http_post_json(server.port(), "/ai-threat-predictor/predict", deep);
  CHECK(reply.status == 400);
  CHECK(error_of(reply).at("code") == "too_deep");
  require_alive(server.port());
}

TEST_CASE("a 50 MB body gets 413 without being read whole", "[bad-input]") {
  qscan_server server;
  http_client client(server.port());
  const std::size_t size = 50u * 1024 * 1024;
  client.send_raw("POST /ai-threat-predictor/predict HTTP/1.1\r\nHost: x\r\n"
                  "Content-Type: application/json\r\nContent-Length: " +
                  std::to_string(size) + "\r\n\r\n");
  // The answer comes before we send a single body byte.
  auto reply = client.read_reply();
  CHECK(reply.status == 413);
  CHECK(error_of(reply).at("code") == "payload_too_large");
  require_alive(server.port());
}

TEST_CASE("invalid UTF-8 is refused with 400", "[bad-input]") {
  qscan_server server;
  std::string body = R"({"scan_results":[{"asset_id":"bad-)";
  body += "\xff\xfe";
  body += R"("}]})";
  auto reply = http_post_json(server.port(), "/ai-threat-predictor/predict", body);
  CHECK(reply.status == 400);
  require_alive(server.port());
}

TEST_CASE("wrong content type gets 415, unknown route 404, wrong method 405 with Allow",
          "[bad-input]") {
  qscan_server server;
  http_client client(server.port());
  auto form = client.request("POST", "/ai-threat-predictor/predict", "a=b",
                             {{"Content-Type", "application/x-www-form-urlencoded"}});
  CHECK(form.status == 415);
  auto nowhere = client.request("GET", "/no/such/route");
  CHECK(nowhere.status == 404);
  CHECK(error_of(nowhere).at("code") == "not_found");
  auto get = client.request("GET", "/ai-threat-predictor/predict");
  CHECK(get.status == 405);
  CHECK(get.headers["allow"] == "POST");
  CHECK(get.headers["x-content-type-options"] == "nosniff");
  CHECK(get.headers["cache-control"] == "no-store");
}

TEST_CASE("a client sending one byte a second cannot hold the server", "[bad-input]") {
  qscan_server server({"--read-timeout-ms", "1500"});
  http_client slow(server.port());
  const std::string request = "POST /ai-threat-predictor/predict HTTP/1.1\r\nHost: x\r\n"
                              "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n";
  std::atomic<bool> cut{false};
  std::thread trickle([&] {
    try {
      for (char c : request + std::string(100, ' ')) {
        slow.send_raw(std::string(1, c));
        std::this_thread::sleep_for(std::chrono::milliseconds(1000));
        if (slow.closed_by_peer(std::chrono::milliseconds(1))) {
          cut = true;
          return;
        }
      }
    } catch (const std::exception&) {
      cut = true; // the server closed the connection under us
    }
  });
  // Meanwhile everyone else is answered promptly.
  for (int i = 0; i < 3; ++i)
    require_alive(server.port());
  trickle.join();
  CHECK(cut);
}

TEST_CASE("an integer of 2^63 or more in an integer field is a 422 naming the field, with a "
          "request id, counted, and no library internals",
          "[bad-input]") {
  qscan_server server;
  http_client client(server.port());
  for (const char* number : {"9223372036854775808", "18446744073709551615"}) {
    INFO(number);
    const std::string body =
        std::string(R"({"scan_results":[{"asset_id":"a","vulnerabilities":[{"cwe_id":)") + number +
        R"(,"location":{"filename":"x.sol","line":)" + number + "}}]}]}";
    auto reply = client.request("POST", "/ai-threat-predictor/predict", body, json_type);
    REQUIRE(reply.status == 422);
    CHECK(!reply.headers["x-request-id"].empty());
    auto paths = paths_of(error_of(reply));
    std::sort(paths.begin(), paths.end());
    CHECK(paths == std::vector<std::string>{"scan_results[0].vulnerabilities[0].cwe_id",
                                            "scan_results[0].vulnerabilities[0].location.line"});
    CHECK(reply.body.find("boost") == std::string::npos);
    CHECK(reply.body.find(".hpp") == std::string::npos);
  }
  auto metrics = client.request("GET", "/metrics").body;
  CHECK(metrics.find(R"(qscan_http_requests_total{route="predict",status="422"} 2)") !=
        std::string::npos);
  require_alive(server.port());
}
