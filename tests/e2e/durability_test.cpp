// Nothing acknowledged is lost: a burst of concurrent requests, SIGKILL the
// moment the last answer arrives, restart, and every acknowledged record is there.
#include <catch2/catch.hpp>

#include <csignal>
#include <thread>

#include <boost/json.hpp>

#include "tests/support/http_client.hpp"
#include "tests/support/qscan_server.hpp"
#include "tests/support/temp_dir.hpp"

using namespace qs::test;

TEST_CASE("every acknowledged record survives SIGKILL right after the last answer",
          "[durability]") {
  temp_dir data("qs-durable-");
  constexpr int clients = 8, per_client = 25;
  std::atomic<int> acknowledged{0};
  {
    qscan_server server({}, data.path());
    std::vector<std::thread> threads;
    for (int c = 0; c < clients; ++c)
      threads.emplace_back([&, c] {
        http_client client(server.port());
        for (int i = 0; i < per_client; ++i) {
          // Each request: 2 results for the client's own asset, 1 for a shared one.
          const std::string body = R"({"scan_results":[{"asset_id":"burst-)" + std::to_string(c) +
                                   R"("},{"asset_id":"burst-)" + std::to_string(c) +
                                   R"("},{"asset_id":"burst-shared"}]})";
          auto reply = client.request("POST", "/ai-threat-predictor/predict", body,
                                      {{"Content-Type", "application/json"}});
          if (reply.status == 200)
            ++acknowledged;
        }
      });
    for (auto& t : threads)
      t.join();
    server.process().signal(SIGKILL);
    CHECK(server.process().wait(std::chrono::seconds(10)) == -SIGKILL);
  }
  REQUIRE(acknowledged == clients * per_client);

  qscan_server restarted({}, data.path());
  http_client client(restarted.port());
  for (int c = 0; c < clients; ++c) {
    auto page = client.request("GET", "/v1/assets/burst-" + std::to_string(c) + "?limit=1");
    REQUIRE(page.status == 200);
    CHECK(page.json().at("total") == 2 * per_client);
  }
  auto shared = client.request("GET", "/v1/assets/burst-shared?limit=1");
  REQUIRE(shared.status == 200);
  CHECK(shared.json().at("total") == clients * per_client);
}

TEST_CASE("SIGTERM finishes in-flight work, flushes storage and exits 0", "[durability]") {
  temp_dir data("qs-term-");
  {
    qscan_server server({}, data.path());
    http_client client(server.port());
    REQUIRE(client
                .request("POST", "/ai-threat-predictor/predict", scan_results_body(3, "term-"),
                         {{"Content-Type", "application/json"}})
                .status == 200);
    CHECK(server.stop() == 0);
  }
  qscan_server again({}, data.path());
  auto page = http_client(again.port()).request("GET", "/v1/assets/term-2");
  REQUIRE(page.status == 200);
  CHECK(page.json().at("total") == 1);
}
