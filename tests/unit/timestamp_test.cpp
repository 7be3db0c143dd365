#include <catch2/catch.hpp>

#include "protocol/timestamp.hpp"

using namespace qs::protocol;

TEST_CASE("incoming timestamps are normalised to what Python's fromisoformat reads",
          "[timestamp]") {
  const std::pair<const char*, const char*> cases[] = {
      {"2026-11-25T10:00:00", "2026-11-25T10:00:00"},
      {"2026-11-25T10:00:00Z", "2026-11-25T10:00:00+00:00"},
      {"2026-11-25T10:00:00+00:00", "2026-11-25T10:00:00+00:00"},
      {"2026-11-25T10:00:00.123456", "2026-11-25T10:00:00.123456"},
      {"2026-11-25T10:00:00.1", "2026-11-25T10:00:00.100000"},
      {"2026-11-25T10:00:00,5+05:30", "2026-11-25T10:00:00.500000+05:30"},
      {"2026-11-25t10:00", "2026-11-25T10:00:00"},
      {"2026-11-25 10:00:00-0800", "2026-11-25T10:00:00-08:00"},
      {"2026-11-25", "2026-11-25T00:00:00"},
      {"2024-02-29T00:00:00", "2024-02-29T00:00:00"},
  };
  for (const auto& [in, out] : cases) {
    INFO(in);
    auto n = normalize_iso8601(in);
    REQUIRE(n);
    CHECK(*n == out);
  }
}

TEST_CASE("invalid timestamps are refused", "[timestamp]") {
  for (const char* bad : {"yesterday", "2026-13-01T00:00:00", "2026-02-29T00:00:00",
                          "2026-11-25T24:00:00", "2026-11-25T10:00:60", "2026-11-25T10:00:00+",
                          "2026-11-25X10:00:00", "2026-11-25T10:00:00.", ""}) {
    INFO(bad);
    CHECK(!normalize_iso8601(bad));
  }
}

TEST_CASE("epoch seconds honour the offset", "[timestamp]") {
  CHECK(*epoch_seconds("1970-01-01T00:00:00") == 0.0);
  CHECK(*epoch_seconds("1970-01-02T00:00:00+01:00") == 86400.0 - 3600.0);
  CHECK(*epoch_seconds("2000-03-01T00:00:00Z") == 951868800.0);
}

TEST_CASE("the current time has microseconds and no Z", "[timestamp]") {
  auto now = now_iso8601();
  CHECK(now.size() == 32);
  CHECK(now.back() != 'Z');
  CHECK(normalize_iso8601(now) == now);
}
