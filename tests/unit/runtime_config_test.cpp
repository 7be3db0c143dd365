#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <limits>

#include "runtime/auth/api_keys.hpp"
#include "runtime/auth/rate_limiter.hpp"
#include "runtime/config/address.hpp"
#include "runtime/config/options.hpp"
#include "tests/support/temp_dir.hpp"

using namespace qs::runtime;

TEST_CASE("options come from file, then environment, then flags", "[config]") {
  qs::test::temp_dir dir;
  { std::ofstream(dir.file("c.conf")) << "name = from-file\ncount = 3 # comment\n"; }
  std::string name;
  int count = 0;
  bool on = false;
  config::option_set set;
  set.add("name", "a name", name).add("count", "a count", count, 0, 10).flag("on", "a switch", on);
  ::setenv("QSCAN_COUNT", "5", 1);
  auto why = set.load({"--config", dir.file("c.conf"), "--on"});
  ::unsetenv("QSCAN_COUNT");
  CHECK(why.empty());
  CHECK(name == "from-file");
  CHECK(count == 5);
  CHECK(on);
  CHECK(set.load({"--count=7"}).empty());
  CHECK(count == 7);
}

TEST_CASE("bad option values name the option and the source", "[config]") {
  int count = 0;
  config::option_set set;
  set.add("count", "a count", count, 0, 10);
  CHECK(set.load({"--count", "11"}).find("--count") != std::string::npos);
  CHECK(set.load({"--count"}).find("needs a value") != std::string::npos);
  CHECK(set.load({"--nope"}).find("unknown option --nope") != std::string::npos);
  CHECK(config::option_set::env_name("data-dir") == "QSCAN_DATA_DIR");
}

TEST_CASE("listen addresses are parsed and loopback is recognised", "[config]") {
  auto a = config::parse_address("127.0.0.1:8000");
  REQUIRE(a);
  CHECK(a->host == "127.0.0.1");
  CHECK(a->port == 8000);
  auto v6 = config::parse_address("[::1]:0");
  REQUIRE(v6);
  CHECK(v6->host == "::1");
  CHECK(!config::parse_address("nohost"));
  CHECK(!config::parse_address("h:99999"));
  CHECK(config::is_loopback("127.1.2.3"));
  CHECK(config::is_loopback("localhost"));
  CHECK(!config::is_loopback("0.0.0.0"));
}

TEST_CASE("API key files are read with roles and limits, and bad lines are named", "[auth]") {
  qs::test::temp_dir dir;
  const std::string ops_secret = auth::generate_secret();
  {
    std::ofstream(dir.file("keys")) << "# comment\n0123456789abcdef scorpius user 10 20\n"
                                    << auth::hashed_key_entry(ops_secret) << " ops admin\n";
  }
  auto table = auth::load_api_keys(dir.file("keys"));
  REQUIRE(table);
  const auto& loaded = *table;
  const auto& keys = loaded.table;
  REQUIRE(keys.find("0123456789abcdef"));
  CHECK(keys.find("0123456789abcdef")->rate_per_second == 10);
  CHECK(keys.find("0123456789abcdef")->burst == 20);
  CHECK(!keys.find("0123456789abcdef")->admin);
  REQUIRE(keys.find(ops_secret));
  CHECK(keys.find(ops_secret)->admin);
  CHECK(keys.find(ops_secret)->name == "ops");
  CHECK(keys.find(ops_secret)->id.size() == 16);
  CHECK(!keys.find("0123456789abcdeX"));
  CHECK(!keys.find(auth::hashed_key_entry(ops_secret))); // the digest is not the key
  // The clear-text line is accepted, with a warning that names its line and never the key.
  REQUIRE(loaded.warnings.size() == 1);
  CHECK(loaded.warnings[0].find(":2:") != std::string::npos);
  CHECK(loaded.warnings[0].find("0123456789abcdef") == std::string::npos);
  for (const char* line : {"short x user\n", "0123456789abcdef x root\n", "sha256:1234 x user\n",
                           "0123456789abcdef x user fast\n", "0123456789abcdef x user 1 2 3\n",
                           "0123456789abcdef a user\n0123456789abcdef b user\n"}) {
    INFO(line);
    auto bad = auth::parse_api_keys(line, "keys");
    REQUIRE_FALSE(bad);
    CHECK(bad.error() == auth::errc::malformed);
    CHECK(bad.error().message.find("keys:") == 0);
    CHECK(bad.error().message.find("0123456789abcdef") == std::string::npos);
  }
  auto missing = auth::load_api_keys(dir.file("no-such-keys"));
  REQUIRE_FALSE(missing);
  CHECK(missing.error() == auth::errc::unreadable);
  CHECK(missing.error().message == "cannot read API keys file " + dir.file("no-such-keys"));
  CHECK(auth::presented_key("Bearer abc", "") == "abc");
  CHECK(auth::presented_key("", "xyz") == "xyz");
}

TEST_CASE("a token bucket allows its burst, then refills at its rate", "[auth]") {
  auth::rate_limiter limiter;
  auto t = auth::rate_limiter::clock::now();
  CHECK(limiter.take("k", 1, 2, t).allowed);
  CHECK(limiter.take("k", 1, 2, t).allowed);
  auto refused = limiter.take("k", 1, 2, t);
  CHECK(!refused.allowed);
  CHECK(refused.retry_after_seconds == Approx(1.0));
  CHECK(limiter.take("k", 1, 2, t + std::chrono::milliseconds(1001)).allowed);
  CHECK(limiter.take("other", 0, 0, t).allowed); // rate 0: unlimited
}

TEST_CASE("taking from many buckets is all or none, and names the ones short", "[auth]") {
  auth::rate_limiter limiter;
  auto t = auth::rate_limiter::clock::now();
  CHECK(limiter.take_all({{"a", 2}, {"b", 1}}, 0.5, 3, t).empty());
  auto refused = limiter.take_all({{"a", 2}, {"b", 1}}, 0.5, 3, t); // a has 1 left
  REQUIRE(refused.size() == 1);
  CHECK(refused[0].first == "a");
  CHECK(refused[0].second == Approx(2.0));
  CHECK(limiter.take_all({{"b", 2}}, 0.5, 3, t).empty()); // b lost nothing above
  CHECK(limiter.take_all({{"c", 4}}, 0.5, 3, t)[0].second ==
        std::numeric_limits<double>::infinity());
  CHECK(limiter.take_all({{"a", 2}}, 0.5, 3, t + std::chrono::seconds(2)).empty());
  for (int i = 0; i < 10050; ++i) // many endpoints: full buckets are forgotten, others kept
    limiter.take("e" + std::to_string(i), 0.5, 3, t);
  CHECK(!limiter.take_all({{"a", 1}}, 0.5, 3, t + std::chrono::seconds(2)).empty());
}
