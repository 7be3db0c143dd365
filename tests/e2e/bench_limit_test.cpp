// qs-bench-limit, the bare server `tools/bench ratio` measures qscan serve
// against, answers the predict route as the harness expects: 200, one
// prediction per scan result, on a kept-alive connection, and a clean stop.
// No timing here: its speed is what tools/bench measures.
#include <catch2/catch.hpp>

#include <csignal>

#include "tests/support/http_client.hpp"
#include "tests/support/process.hpp"
#include "tests/support/qscan_server.hpp"

using namespace qs::test;

TEST_CASE("bench_limit: qs-bench-limit answers a predict with one prediction per scan result",
          "[bench_limit]") {
  auto server = child_process::start({QS_BENCH_LIMIT_BINARY, "--listen", "127.0.0.1:0"});
  const std::string ready = "listening on http://127.0.0.1:";
  const auto line = server.wait_for_line(ready, std::chrono::seconds(10));
  http_client client(static_cast<std::uint16_t>(std::stoi(line.substr(ready.size()))));
  const std::vector<std::pair<std::string, std::string>> json_type = {
      {"Content-Type", "application/json"}};

  for (std::size_t assets : {200, 10}) { // the second on the same connection
    const auto reply = client.request("POST", "/ai-threat-predictor/predict",
                                      scan_results_body(assets), json_type);
    REQUIRE(reply.status == 200);
    CHECK(reply.headers.at("content-type") == "application/json");
    const auto answer = reply.json();
    const auto& predictions = answer.as_object().at("predictions").as_array();
    REQUIRE(predictions.size() == assets);
    const auto& first = predictions[0].as_object();
    CHECK(first.at("asset_id").as_string() == "asset-0");
    CHECK(first.at("threat_score").as_double() == 0.8); // its worst finding is high
  }
  CHECK(client.request("POST", "/ai-threat-predictor/predict", "not json", json_type).status ==
        400);
  CHECK(client.request("GET", "/ai-threat-predictor/predict").status == 405);

  server.signal(SIGTERM);
  CHECK(server.wait(std::chrono::seconds(10)) == 0);
}
