// API keys, admin-only training and per-key rate limits, over real HTTP.
#include <catch2/catch.hpp>

#include <csignal>
#include <fstream>
#include <tuple>

#include <boost/json.hpp>

#include "runtime/auth/api_keys.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/qscan_server.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/wait.hpp"

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

namespace {

// Writes a key file of hashed keys: (secret, name, role) per line.
void write_keys(const std::string& file,
                const std::vector<std::tuple<std::string, std::string, std::string>>& keys) {
  std::ofstream out(file);
  for (const auto& [secret, name, role] : keys)
    out << qs::runtime::auth::hashed_key_entry(secret) << " " << name << " " << role << "\n";
}

int status_with(std::uint16_t port, const std::string& method, const std::string& path,
                const std::string& key, const std::string& source = {}) {
  http_client client(port, std::chrono::seconds(30), source);
  std::vector<std::pair<std::string, std::string>> headers = {{"Content-Type", "application/json"}};
  if (!key.empty())
    headers.emplace_back("Authorization", "Bearer " + key);
  return client.request(method, path, method == "POST" ? scan_results_body(1) : "", headers).status;
}

} // namespace

TEST_CASE("with keys on, a request without a valid key learns nothing about routes", "[auth]") {
  temp_dir dir;
  write_keys(dir.file("keys"), {{user_key, "scorpius", "user"}});
  qscan_server server({"--api-keys", dir.file("keys")});
  CHECK(status_with(server.port(), "GET", "/no/such/route", "") == 401);
  CHECK(status_with(server.port(), "POST", "/status", "") == 401);
  CHECK(status_with(server.port(), "GET", "/ai-threat-predictor/predict", "wrong-key-0123456789") ==
        401);
  CHECK(status_with(server.port(), "GET", "/no/such/route", user_key) == 404);
  CHECK(status_with(server.port(), "POST", "/status", user_key) == 405);
  CHECK(status_with(server.port(), "GET", "/healthz", "") == 200);
}

TEST_CASE("keys are kept as digests: a hashed key file works, and a clear-text key is accepted "
          "with a warning that never shows it",
          "[auth]") {
  temp_dir dir;
  {
    std::ofstream(dir.file("keys"))
        << qs::runtime::auth::hashed_key_entry(admin_key) << " ops admin\n"
        << user_key << " legacy user\n";
  }
  qscan_server server({"--api-keys", dir.file("keys")});
  CHECK(status_with(server.port(), "GET", "/status", admin_key) == 200);
  CHECK(status_with(server.port(), "GET", "/status", user_key) == 200);
  // The digest itself is not a key.
  CHECK(status_with(server.port(), "GET", "/status",
                    qs::runtime::auth::hashed_key_entry(admin_key)) == 401);
  const auto log = server.process().stderr_tail();
  CHECK(log.find("keys:2: key of legacy is in clear text") != std::string::npos);
  CHECK(log.find(user_key) == std::string::npos);
}

TEST_CASE("qscan api-key new prints a key once and stores only its digest", "[auth]") {
  temp_dir dir;
  const std::string file = dir.file("keys");
  auto maker = child_process::start(
      {QSCAN_BINARY, "api-key", "new", "ci-bot", "--file", file, "--admin", "--rate", "5"});
  const std::string secret = maker.wait_for_line("qsk_", std::chrono::seconds(30));
  REQUIRE(maker.wait(std::chrono::seconds(30)) == 0);
  CHECK(secret.size() == 4 + 64);
  std::ifstream in(file);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(text.find(secret) == std::string::npos);
  CHECK(text.find(qs::runtime::auth::hashed_key_entry(secret) + " ci-bot admin 5") == 0);
  qscan_server server({"--api-keys", file});
  CHECK(status_with(server.port(), "GET", "/status", secret) == 200);
}

TEST_CASE("wrong keys are throttled per client address; other clients and health are not",
          "[auth]") {
  temp_dir dir;
  write_keys(dir.file("keys"), {{user_key, "scorpius", "user"}});
  qscan_server server({"--api-keys", dir.file("keys"), "--auth-failures-per-minute", "60"});
  const std::string attacker = "127.0.0.2";
  http_client client(server.port(), std::chrono::seconds(30), attacker);
  const auto started = std::chrono::steady_clock::now();
  int unauthorized = 0, throttled = 0;
  std::string retry_after;
  for (int i = 0; i < 2000; ++i) {
    auto r =
        client.request("GET", "/status", "",
                       {{"Authorization", "Bearer wrong-" + std::to_string(i) + "-0123456789"}});
    unauthorized += r.status == 401;
    if (r.status == 429) {
      ++throttled;
      retry_after = r.headers["retry-after"];
      CHECK(r.json().at("error").at("code") == "too_many_failed_attempts");
    }
  }
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  // 60 in a burst, then one more a second.
  CHECK(unauthorized >= 60);
  CHECK(unauthorized <= 60 + static_cast<int>(elapsed) + 1);
  CHECK(throttled == 2000 - unauthorized);
  CHECK(std::stoi(retry_after) >= 1);
  // The throttled address is refused whatever key it sends; health still answers it.
  CHECK(status_with(server.port(), "GET", "/status", user_key, attacker) == 429);
  CHECK(status_with(server.port(), "GET", "/healthz", "", attacker) == 200);
  // Everyone else goes on as before.
  for (int i = 0; i < 100; ++i)
    REQUIRE(status_with(server.port(), "POST", "/ai-threat-predictor/predict", user_key) == 200);
  http_client local(server.port());
  const auto metrics = local.request("GET", "/metrics", "", bearer(user_key)).body;
  CHECK(metrics.find("qscan_auth_failures_total{reason=\"throttled\"} " +
                     std::to_string(throttled + 1)) != std::string::npos);
}

TEST_CASE("SIGHUP reloads the key file; a broken file keeps the old keys", "[auth]") {
  temp_dir dir;
  const std::string file = dir.file("keys");
  const std::string new_key = "new-key-0123456789abcdef";
  write_keys(file, {{user_key, "scorpius", "user"}});
  qscan_server server({"--api-keys", file});
  CHECK(status_with(server.port(), "GET", "/status", new_key) == 401);
  write_keys(file, {{new_key, "rotated", "user"}});
  server.process().signal(SIGHUP);
  CHECK(wait_until([&] { return status_with(server.port(), "GET", "/status", new_key) == 200; },
                   std::chrono::seconds(10)));
  CHECK(status_with(server.port(), "GET", "/status", user_key) == 401);
  { std::ofstream(file) << "not a key file\n"; }
  server.process().signal(SIGHUP);
  CHECK(wait_until(
      [&] {
        return server.process().stderr_tail().find("kept the old API keys") != std::string::npos;
      },
      std::chrono::seconds(10)));
  CHECK(status_with(server.port(), "GET", "/status", new_key) == 200);
  CHECK(server.process().running());
}

TEST_CASE("admin actions are in the audit log with the key's name, and admin routes need an "
          "admin key",
          "[auth]") {
  temp_dir dir;
  write_keys(dir.file("keys"), {{user_key, "scorpius", "user"}, {admin_key, "ops", "admin"}});
  qscan_server server({"--api-keys", dir.file("keys")});
  http_client client(server.port());
  CHECK(client.request("GET", "/v1/cluster", "", bearer(user_key)).status == 403);
  CHECK(client.request("GET", "/v1/cluster", "", bearer(admin_key)).status == 200);
  auto trained = client.request("POST", "/ai-threat-predictor/train",
                                R"({"training_data":[{"asset_id":"t"}]})", bearer(admin_key));
  REQUIRE(trained.status == 200);
  const auto log = server.process().stderr_tail();
  const auto at = log.find("qscan audit {");
  REQUIRE(at != std::string::npos);
  const auto line = boost::json::parse(log.substr(at + 12, log.find('\n', at) - at - 12));
  CHECK(line.at("action") == "train");
  CHECK(line.at("by") == "ops");
  CHECK(line.at("request_id").as_string() == trained.headers["x-request-id"]);
  CHECK(log.find(admin_key) == std::string::npos);
}
