#include <catch2/catch.hpp>

#include "runtime/auth/failure_throttle.hpp"

using qs::runtime::auth::failure_throttle;
using namespace std::chrono_literals;

TEST_CASE("a client may fail its burst, then one more a refill interval", "[auth][throttle]") {
  failure_throttle throttle(60);
  auto t = failure_throttle::clock::now();
  for (int i = 0; i < 60; ++i) {
    REQUIRE(throttle.check("10.0.0.1", t).allowed);
    throttle.failed("10.0.0.1", t);
  }
  auto refused = throttle.check("10.0.0.1", t);
  CHECK(!refused.allowed);
  CHECK(refused.retry_after_seconds == Approx(1.0));
  CHECK(throttle.check("10.0.0.2", t).allowed); // others untouched
  CHECK(throttle.check("10.0.0.1", t + 1001ms).allowed);
  throttle.failed("10.0.0.1", t + 1001ms);
  CHECK(!throttle.check("10.0.0.1", t + 1002ms).allowed);
}

TEST_CASE("an IPv6 client is its /64; an IPv4-mapped address is the IPv4 client",
          "[auth][throttle]") {
  CHECK(failure_throttle::client_of("2001:db8:1:2:aaaa::1") == "2001:db8:1:2::/64");
  CHECK(failure_throttle::client_of("2001:db8:1:2:ffff::9") == "2001:db8:1:2::/64");
  CHECK(failure_throttle::client_of("::ffff:192.0.2.7") == "192.0.2.7");
  CHECK(failure_throttle::client_of("192.0.2.7") == "192.0.2.7");
  failure_throttle throttle(1);
  auto t = failure_throttle::clock::now();
  throttle.failed("2001:db8:1:2::1", t);
  CHECK(!throttle.check("2001:db8:1:2::99", t).allowed);
  CHECK(throttle.check("2001:db8:1:3::1", t).allowed);
}

TEST_CASE("the throttle tracks a bounded number of clients and forgets those whose tries are back",
          "[auth][throttle]") {
  failure_throttle throttle(60, 100);
  auto t = failure_throttle::clock::now();
  for (int i = 0; i < 100; ++i)
    throttle.failed("10.1.0." + std::to_string(i), t);
  CHECK(throttle.tracked() == 100);
  throttle.failed("10.2.0.1", t); // full, nobody has refilled: not tracked
  CHECK(throttle.tracked() == 100);
  CHECK(throttle.check("10.2.0.1", t).allowed);
  throttle.failed("10.2.0.1", t + 2s); // every earlier client is whole again: forgotten
  CHECK(throttle.tracked() == 1);
  CHECK(failure_throttle(0).check("x").allowed); // 0 disables it
}
