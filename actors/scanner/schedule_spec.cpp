#include "actors/scanner/schedule_spec.hpp"

#include <charconv>
#include <ctime>
#include <vector>

namespace qs::scanner {

namespace {

constexpr std::int64_t max_interval = 366LL * 86400; // a year
constexpr std::int64_t minute = 60;

std::optional<int> number(std::string_view text) {
  int v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size())
    return std::nullopt;
  return v;
}

std::vector<std::string_view> split(std::string_view text, char by) {
  std::vector<std::string_view> out;
  for (std::size_t at = 0;;) {
    const auto end = text.find(by, at);
    out.push_back(text.substr(at, end == std::string_view::npos ? end : end - at));
    if (end == std::string_view::npos)
      return out;
    at = end + 1;
  }
}

/// Sets in `bits` the values one field names within [low, high]; "" or why not.
template<std::size_t N>
std::string read_field(std::string_view field, int low, int high, std::bitset<N>& bits, bool& any) {
  any = field == "*";
  for (auto part : split(field, ',')) {
    int step = 1;
    if (auto slash = part.find('/'); slash != std::string_view::npos) {
      auto s = number(part.substr(slash + 1));
      if (!s || *s < 1)
        return "bad step in \"" + std::string(part) + "\"";
      step = *s;
      part = part.substr(0, slash);
    }
    int from = low, to = high;
    if (part != "*") {
      const auto dash = part.find('-');
      auto a = number(part.substr(0, dash));
      auto b = dash == std::string_view::npos ? a : number(part.substr(dash + 1));
      if (!a || !b || *a < low || *b > high || *a > *b)
        return "\"" + std::string(part) + "\" is not a value or range within " +
               std::to_string(low) + "-" + std::to_string(high);
      from = *a;
      to = dash == std::string_view::npos && step > 1 ? high : *b;
    }
    for (int v = from; v <= to; v += step)
      bits.set(static_cast<std::size_t>(v));
  }
  return {};
}

bool matches(const cron_expression& c, const std::tm& t) {
  if (!c.minutes.test(static_cast<std::size_t>(t.tm_min)) ||
      !c.hours.test(static_cast<std::size_t>(t.tm_hour)) ||
      !c.months.test(static_cast<std::size_t>(t.tm_mon + 1)))
    return false;
  const bool day = c.days.test(static_cast<std::size_t>(t.tm_mday));
  const bool weekday = c.weekdays.test(static_cast<std::size_t>(t.tm_wday));
  if (c.any_day || c.any_weekday)
    return (c.any_day || day) && (c.any_weekday || weekday);
  return day || weekday;
}

} // namespace

std::optional<std::int64_t> parse_interval(std::string_view text) {
  if (text.size() < 2)
    return std::nullopt;
  const auto count = number(text.substr(0, text.size() - 1));
  if (!count || *count < 1)
    return std::nullopt;
  std::int64_t unit = 0;
  switch (text.back()) {
  case 's':
    unit = 1;
    break;
  case 'm':
    unit = minute;
    break;
  case 'h':
    unit = 3600;
    break;
  case 'd':
    unit = 86400;
    break;
  case 'w':
    unit = 7 * 86400;
    break;
  default:
    return std::nullopt;
  }
  const auto seconds = *count * unit;
  if (seconds > max_interval)
    return std::nullopt;
  return seconds;
}

std::variant<cron_expression, std::string> parse_cron(std::string_view text) {
  std::vector<std::string_view> fields;
  for (auto f : split(text, ' '))
    if (!f.empty())
      fields.push_back(f);
  if (fields.size() != 5)
    return "expected five fields (minute hour day-of-month month day-of-week), got " +
           std::to_string(fields.size());
  cron_expression c;
  bool any = false;
  std::bitset<8> weekdays;
  const char* names[] = {"minute", "hour", "day of month", "month", "day of week"};
  std::string why[5] = {
      read_field(fields[0], 0, 59, c.minutes, any), read_field(fields[1], 0, 23, c.hours, any),
      read_field(fields[2], 1, 31, c.days, c.any_day), read_field(fields[3], 1, 12, c.months, any),
      read_field(fields[4], 0, 7, weekdays, c.any_weekday)};
  for (int i = 0; i < 5; ++i)
    if (!why[i].empty())
      return std::string(names[i]) + ": " + why[i];
  for (std::size_t d = 0; d < 7; ++d)
    c.weekdays[d] = weekdays[d] || (d == 0 && weekdays[7]);
  return c;
}

std::variant<schedule_spec, protocol::problems>
read_schedule_spec(const boost::json::object& body) {
  protocol::problems problems;
  schedule_spec spec;
  const auto* every = body.if_contains("every");
  const auto* cron = body.if_contains("cron");
  if ((every && !every->is_null()) == (cron && !cron->is_null()))
    problems.push_back({"", "give exactly one of \"every\" (an interval such as \"6h\") and "
                            "\"cron\" (such as \"0 3 * * *\")"});
  if (every && !every->is_null()) {
    auto seconds = every->is_string() ? parse_interval(every->as_string()) : std::nullopt;
    if (!seconds)
      problems.push_back({"every", "expected an interval from \"1s\" to a year: a whole number "
                                   "and s, m, h, d or w, such as \"6h\""});
    else
      spec.every = *seconds;
  }
  if (cron && !cron->is_null()) {
    if (!cron->is_string()) {
      problems.push_back({"cron", "expected a string such as \"0 3 * * *\""});
    } else {
      auto parsed = parse_cron(cron->as_string());
      if (auto* why = std::get_if<std::string>(&parsed))
        problems.push_back({"cron", *why});
      else
        spec.cron = std::get<cron_expression>(parsed);
    }
  }
  if (const auto* jitter = body.if_contains("jitter"); jitter && !jitter->is_null()) {
    auto seconds = jitter->is_string() ? parse_interval(jitter->as_string()) : std::nullopt;
    if (!seconds)
      problems.push_back({"jitter", "expected an interval such as \"10m\""});
    else
      spec.jitter = *seconds;
  }
  if (!problems.empty())
    return problems;
  return spec;
}

std::optional<std::int64_t> next_due(const schedule_spec& spec, std::int64_t after) {
  if (!spec.cron)
    return after + spec.every;
  // The next whole minute, then minute by minute (hours and days skipped whole
  // when they cannot match), for at most five years.
  std::int64_t t = (after / minute + 1) * minute;
  const std::int64_t until = after + 5 * 366 * 86400LL;
  while (t <= until) {
    const auto seconds = static_cast<std::time_t>(t);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    if (!spec.cron->months.test(static_cast<std::size_t>(utc.tm_mon + 1))) {
      t += (24 - utc.tm_hour) * 3600LL - utc.tm_min * minute; // to the next day
      continue;
    }
    if (!spec.cron->hours.test(static_cast<std::size_t>(utc.tm_hour))) {
      t += (60 - utc.tm_min) * minute; // to the next hour
      continue;
    }
    if (matches(*spec.cron, utc))
      return t;
    t += minute;
  }
  return std::nullopt;
}

} // namespace qs::scanner
