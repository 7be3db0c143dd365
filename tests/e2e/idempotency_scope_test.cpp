// An Idempotency-Key belongs to one API key, one route and one body: another
// caller's key of the same name is a fresh request, and reusing a key for
// another route or body is refused, never answered with the first answer.
#include <catch2/catch.hpp>

#include <fstream>

#include <boost/json.hpp>

#include "runtime/auth/api_keys.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/qscan_server.hpp"
#include "tests/support/temp_dir.hpp"

using namespace qs::test;

namespace {

const std::string key_a = "caller-a-key-0123456789";
const std::string key_b = "caller-b-key-0123456789";

http_reply post(std::uint16_t port, const std::string& path, const std::string& body,
                const std::string& api_key, const std::string& idempotency_key) {
  http_client client(port);
  std::vector<std::pair<std::string, std::string>> headers = {{"Content-Type", "application/json"},
                                                              {"Idempotency-Key", idempotency_key}};
  if (!api_key.empty())
    headers.emplace_back("Authorization", "Bearer " + api_key);
  return client.request("POST", path, body, headers);
}

std::string request_id_in(const http_reply& reply) {
  return std::string(reply.json().at("request_id").as_string());
}

} // namespace

TEST_CASE("the same Idempotency-Key from two API keys is two requests, each replayed only to its "
          "own caller",
          "[idempotency]") {
  temp_dir dir;
  {
    std::ofstream out(dir.file("keys"));
    out << qs::runtime::auth::hashed_key_entry(key_a) << " caller-a user\n"
        << qs::runtime::auth::hashed_key_entry(key_b) << " caller-b user\n";
  }
  qscan_server server({"--api-keys", dir.file("keys")});
  const std::string predict = "/ai-threat-predictor/predict";
  auto a1 = post(server.port(), predict, scan_results_body(1, "asset-of-a-"), key_a, "order-1001");
  REQUIRE(a1.status == 200);
  auto b1 = post(server.port(), predict, scan_results_body(1, "asset-of-b-"), key_b, "order-1001");
  REQUIRE(b1.status == 200);
  CHECK(b1.headers.count("idempotent-replayed") == 0);
  CHECK(request_id_in(b1) != request_id_in(a1)); // B's own answer, not A's
  auto a2 = post(server.port(), predict, scan_results_body(1, "asset-of-a-"), key_a, "order-1001");
  REQUIRE(a2.status == 200);
  CHECK(a2.headers["idempotent-replayed"] == "true");
  CHECK(a2.body == a1.body);
  auto b2 = post(server.port(), predict, scan_results_body(1, "asset-of-b-"), key_b, "order-1001");
  CHECK(b2.headers["idempotent-replayed"] == "true");
  CHECK(b2.body == b1.body);
  // Each caller's asset was stored once, by its own request.
  http_client client(server.port());
  for (const auto& [asset, answer] :
       {std::pair{"asset-of-a-0", &a1}, std::pair{"asset-of-b-0", &b1}}) {
    INFO(asset);
    auto history = client.request("GET", std::string("/v1/assets/") + asset, "",
                                  {{"Authorization", "Bearer " + key_b}});
    REQUIRE(history.status == 200);
    CHECK(history.json().at("total") == 1);
    CHECK(history.json().at("latest").at("request_id").as_string() == request_id_in(*answer));
  }
}

TEST_CASE("a key reused with another body or on another route is refused with "
          "idempotency_key_reused",
          "[idempotency]") {
  qscan_server server; // open mode: every caller shares one scope
  const std::string predict = "/ai-threat-predictor/predict";
  auto first = post(server.port(), predict, scan_results_body(1, "x-"), "", "k-1");
  REQUIRE(first.status == 200);
  for (const auto& [path, body] : std::vector<std::pair<std::string, std::string>>{
           {predict, scan_results_body(2, "x-")},
           {"/v1/enhance", scan_results_body(1, "x-")},
           {"/ai-threat-predictor/detect-anomalies", scan_results_body(1, "x-")}}) {
    INFO(path << " " << body.size());
    auto reused = post(server.port(), path, body, "", "k-1");
    CHECK(reused.status == 422);
    CHECK(reused.json().at("error").at("code") == "idempotency_key_reused");
    CHECK(reused.body.find("\"predictions\"") == std::string::npos);
  }
  // The same route and body still replay.
  auto again = post(server.port(), predict, scan_results_body(1, "x-"), "", "k-1");
  CHECK(again.status == 200);
  CHECK(again.body == first.body);
}
