// When a scheduled scan runs (POST /v1/schedules): every fixed interval ("every":
// "90s", "15m", "6h", "1d", "1w"), or at the minutes a cron expression names
// ("cron": five fields, minute hour day-of-month month day-of-week, each `*`, a
// number, a range `a-b`, a step `*/n` or `a-b/n`, or a list of those; day of week 0
// or 7 is Sunday; when both day fields are restricted either may match, as in
// cron(8)), each run delayed by up to "jitter" (an interval) at random.
//
// Times are seconds since the epoch, UTC. Pure.
#pragma once

#include <array>
#include <bitset>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>

#include <boost/json/object.hpp>

#include "protocol/problem.hpp"

namespace qs::scanner {

struct cron_expression {
  std::bitset<60> minutes;
  std::bitset<24> hours;
  std::bitset<32> days;   ///< 1..31
  std::bitset<13> months; ///< 1..12
  std::bitset<7> weekdays;
  bool any_day = true;     ///< day of month was `*`
  bool any_weekday = true; ///< day of week was `*`
};

struct schedule_spec {
  std::int64_t every = 0; ///< seconds; 0 when a cron expression is given
  std::optional<cron_expression> cron;
  std::int64_t jitter = 0; ///< seconds
};

/// "90s", "15m", "6h", "1d", "1w": seconds; nullopt for anything else.
std::optional<std::int64_t> parse_interval(std::string_view text);

/// The expression, or why it is not one.
std::variant<cron_expression, std::string> parse_cron(std::string_view text);

/// The schedule of a request body's `every` / `cron` / `jitter` members, or each
/// bad member's path.
std::variant<schedule_spec, protocol::problems> read_schedule_spec(const boost::json::object& body);

/// The first time a run is due strictly after `after`, without jitter (which the
/// caller adds); nullopt when a cron expression names no time in the next 5 years
/// ("0 0 31 2 *").
std::optional<std::int64_t> next_due(const schedule_spec& spec, std::int64_t after);

} // namespace qs::scanner
