// API keys, admin-only training and per-key rate limits, over real HTTP.
#include <catch2/catch.hpp>

#include <fstream>

#include <boost/json.hpp>

#include "tests/support/http_client.hpp"
#include "tests/support/qscan_server.hpp"
#include "tests/support/temp_dir.hpp"

using namespace qs::test;

namespace {

const std::string user_key = "user-key-0123456789";
const std::string admin_key = "admin-key-0123456789";

std::vector<std::pair<std::string, std::string>> bearer(const std::string& key) {
  return {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + key}};
}

} // namespace

TEST_CASE("with API keys every route but health needs a key, and training an admin key", "[auth]") {
  temp_dir dir;
  {
    std::ofstream(dir.file("keys")) << user_key << " scorpius user 1000 1000\n"
                                    << admin_key << " ops admin\n";
  }
  qscan_server server({"--api-keys", dir.file("keys")});
  http_client client(server.port());
  CHECK(client.request("GET", "/ai-threat-predictor/health").status == 200);
  auto anonymous = client.request("POST", "/ai-threat-predictor/predict", scan_results_body(1),
                                  {{"Content-Type", "application/json"}});
  CHECK(anonymous.status == 401);
  CHECK(anonymous.headers["www-authenticate"] == "Bearer");
  CHECK(client
            .request("POST", "/ai-threat-predictor/predict", scan_results_body(1),
                     bearer("wrong-key-0123456789"))
            .status == 401);
  CHECK(
      client.request("POST", "/ai-threat-predictor/predict", scan_results_body(1), bearer(user_key))
          .status == 200);
  CHECK(client.request("GET", "/status", "", {{"X-API-Key", user_key}}).status == 200);
  const std::string training = R"({"training_data":[{"asset_id":"t"}]})";
  CHECK(client.request("POST", "/ai-threat-predictor/train", training, bearer(user_key)).status ==
        403);
  CHECK(client.request("POST", "/ai-threat-predictor/train", training, bearer(admin_key)).status ==
        200);
}

TEST_CASE("a key over its rate limit gets 429 with Retry-After", "[auth]") {
  temp_dir dir;
  { std::ofstream(dir.file("keys")) << user_key << " slow user 1 3\n"; }
  qscan_server server({"--api-keys", dir.file("keys")});
  http_client client(server.port());
  int ok = 0, limited = 0;
  std::string retry_after;
  for (int i = 0; i < 6; ++i) {
    auto r = client.request("GET", "/status", "", bearer(user_key));
    if (r.status == 200)
      ++ok;
    if (r.status == 429) {
      ++limited;
      retry_after = r.headers["retry-after"];
    }
  }
  CHECK(ok >= 3);
  CHECK(limited >= 2);
  CHECK(!retry_after.empty());
}
