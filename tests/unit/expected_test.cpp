#include <catch2/catch.hpp>

#include "runtime/expected.hpp"
#include "runtime/storage/errc.hpp"

using qs::expected;
namespace storage = qs::runtime::storage;

TEST_CASE("an expected holds a value or an error whose code callers test", "[expected]") {
  expected<int> ok = 7;
  REQUIRE(ok);
  CHECK(*ok == 7);

  expected<int> bad{storage::errc::invalid_argument, "invalid cursor \"x\""};
  REQUIRE_FALSE(bad);
  CHECK(bad.error() == storage::errc::invalid_argument);
  CHECK(bad.error() != storage::errc::unavailable);
  CHECK(bad.error().message == "invalid cursor \"x\"");
  CHECK(bad.error().code_name() == "storage.invalid_argument");
}

TEST_CASE("expected<void> is success or an error", "[expected]") {
  expected<void> done;
  CHECK(done);
  expected<void> failed = qs::error(storage::errc::unavailable, "disk full");
  REQUIRE_FALSE(failed);
  CHECK(failed.error() == storage::errc::unavailable);
}
