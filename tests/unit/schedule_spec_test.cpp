// When scheduled scans run: intervals, cron expressions (fields, ranges, steps,
// lists, Sunday as 0 or 7, the day fields' either-or), and the refusals with paths.
#include <catch2/catch.hpp>

#include <boost/json/parse.hpp>

#include "actors/scanner/schedule_spec.hpp"

using namespace qs::scanner;

namespace {

// 2026-12-07 (a Monday) 10:20:30 UTC.
constexpr std::int64_t monday = 1796638830;

cron_expression cron(const char* text) {
  auto parsed = parse_cron(text);
  INFO(text);
  REQUIRE(std::holds_alternative<cron_expression>(parsed));
  return std::get<cron_expression>(parsed);
}

std::int64_t next(const char* text, std::int64_t after) {
  schedule_spec spec;
  spec.cron = cron(text);
  auto t = next_due(spec, after);
  REQUIRE(t);
  return *t;
}

std::string why(const char* text) {
  auto parsed = parse_cron(text);
  REQUIRE(std::holds_alternative<std::string>(parsed));
  return std::get<std::string>(parsed);
}

} // namespace

TEST_CASE("intervals are a whole number of seconds, minutes, hours, days or weeks", "[schedule]") {
  CHECK(parse_interval("90s") == 90);
  CHECK(parse_interval("15m") == 900);
  CHECK(parse_interval("6h") == 21600);
  CHECK(parse_interval("1d") == 86400);
  CHECK(parse_interval("2w") == 1209600);
  for (const char* bad : {"", "h", "0h", "-1h", "1.5h", "6 h", "6H", "6y", "400d"})
    CHECK_FALSE(parse_interval(bad));
}

TEST_CASE("a cron expression names its next minute", "[schedule]") {
  CHECK(next("* * * * *", monday) == monday - 30 + 60);                      // 10:21:00
  CHECK(next("0 * * * *", monday) == monday - 1230 + 3600);                  // 11:00
  CHECK(next("30 10 * * *", monday) == monday + 570);                        // 10:30 today
  CHECK(next("20 10 * * *", monday) == monday - 30 + 86400);                 // 10:20 tomorrow
  CHECK(next("*/15 * * * *", monday) == monday - 30 + 10 * 60);              // 10:30
  CHECK(next("5-10/5 11 * * *", monday) == monday - 1230 + 3600 + 300);      // 11:05
  CHECK(next("0 3 * * 0", monday) == next("0 3 * * 7", monday));             // Sunday
  CHECK(next("0 3 * * 0", monday) == monday - 37230 + 6 * 86400 + 3 * 3600); // Sunday 03:00
  // Both day fields restricted: either matches (the 1st, or a Wednesday).
  CHECK(next("0 0 1 * 3", monday) == monday - 37230 + 2 * 86400); // Wednesday the 9th
  CHECK(next("0 0 1 1 *", monday) == 1798761600);                 // 2027-01-01
  schedule_spec never;
  never.cron = cron("0 0 31 2 *");
  CHECK_FALSE(next_due(never, monday));
  schedule_spec every;
  every.every = 3600;
  CHECK(next_due(every, monday) == monday + 3600);
}

TEST_CASE("a bad cron expression says which field and why", "[schedule]") {
  CHECK(why("* * * *") ==
        "expected five fields (minute hour day-of-month month day-of-week), got 4");
  CHECK(why("60 * * * *").rfind("minute: ", 0) == 0);
  CHECK(why("* 24 * * *").rfind("hour: ", 0) == 0);
  CHECK(why("* * 0 * *").rfind("day of month: ", 0) == 0);
  CHECK(why("* * * 13 *").rfind("month: ", 0) == 0);
  CHECK(why("* * * * 8").rfind("day of week: ", 0) == 0);
  CHECK(why("*/0 * * * *").rfind("minute: bad step", 0) == 0);
  CHECK(why("5-1 * * * *").rfind("minute: ", 0) == 0);
}

TEST_CASE("a schedule's members are read with each bad one's path", "[schedule]") {
  auto read = [](const char* text) {
    return read_schedule_spec(boost::json::parse(text).as_object());
  };
  auto ok = read(R"({"every":"6h","jitter":"10m"})");
  REQUIRE(std::holds_alternative<schedule_spec>(ok));
  CHECK(std::get<schedule_spec>(ok).every == 21600);
  CHECK(std::get<schedule_spec>(ok).jitter == 600);
  auto bad = read(R"({"every":6,"jitter":"soon"})");
  REQUIRE(std::holds_alternative<qs::protocol::problems>(bad));
  const auto& problems = std::get<qs::protocol::problems>(bad);
  REQUIRE(problems.size() == 2);
  CHECK(problems[0].path == "every");
  CHECK(problems[1].path == "jitter");
  auto both = read(R"({"every":"1h","cron":"0 3 * * *"})");
  REQUIRE(std::holds_alternative<qs::protocol::problems>(both));
  CHECK(std::get<qs::protocol::problems>(both)[0].path.empty());
  CHECK(std::holds_alternative<qs::protocol::problems>(read("{}")));
}
