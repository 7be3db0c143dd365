#include "protocol/timestamp.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace qs::protocol {

namespace {

bool digits(std::string_view s, std::size_t pos, std::size_t n) {
  if (pos + n > s.size())
    return false;
  for (std::size_t i = pos; i < pos + n; ++i)
    if (s[i] < '0' || s[i] > '9')
      return false;
  return true;
}

int number(std::string_view s, std::size_t pos, std::size_t n) {
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i)
    v = v * 10 + (s[i] - '0');
  return v;
}

bool leap(int y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int days_in_month(int y, int m) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : days[m - 1];
}

// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
long long days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  const long long era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long long>(doe) - 719468;
}

struct parsed {
  std::string normalized;
  double epoch = 0;
};

// Parses ISO 8601 date-times as people and scanners write them and renders
// them in the one shape Python's datetime.fromisoformat reads on every
// version: YYYY-MM-DDTHH:MM:SS[.ffffff][+HH:MM].
std::optional<parsed> parse(std::string_view s) {
  if (s.size() < 10 || !digits(s, 0, 4) || s[4] != '-' || !digits(s, 5, 2) || s[7] != '-' ||
      !digits(s, 8, 2))
    return std::nullopt;
  const int year = number(s, 0, 4), month = number(s, 5, 2), day = number(s, 8, 2);
  if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month))
    return std::nullopt;
  int hour = 0, minute = 0, second = 0;
  long micros = -1; // none written
  bool zoned = false;
  int offset_seconds = 0;
  std::size_t pos = 10;
  if (pos < s.size()) {
    if (s[pos] != 'T' && s[pos] != 't' && s[pos] != ' ')
      return std::nullopt;
    ++pos;
    if (!digits(s, pos, 2) || pos + 2 >= s.size() || s[pos + 2] != ':' || !digits(s, pos + 3, 2))
      return std::nullopt;
    hour = number(s, pos, 2);
    minute = number(s, pos + 3, 2);
    pos += 5;
    if (pos < s.size() && s[pos] == ':') {
      if (!digits(s, pos + 1, 2))
        return std::nullopt;
      second = number(s, pos + 1, 2);
      pos += 3;
    }
    if (hour > 23 || minute > 59 || second > 59)
      return std::nullopt;
    if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
      std::size_t end = pos + 1;
      micros = 0;
      long scale = 100000;
      while (end < s.size() && s[end] >= '0' && s[end] <= '9') {
        micros += (s[end] - '0') * scale; // digits past the sixth are dropped
        scale /= 10;
        ++end;
      }
      if (end == pos + 1)
        return std::nullopt;
      pos = end;
    }
    if (pos < s.size()) {
      zoned = true;
      if (s[pos] == 'Z' || s[pos] == 'z') {
        ++pos;
      } else if (s[pos] == '+' || s[pos] == '-') {
        const int sign = s[pos] == '-' ? -1 : 1;
        if (!digits(s, pos + 1, 2))
          return std::nullopt;
        const int oh = number(s, pos + 1, 2);
        int om = 0;
        pos += 3;
        if (pos < s.size() && s[pos] == ':')
          ++pos;
        if (pos < s.size()) {
          if (!digits(s, pos, 2))
            return std::nullopt;
          om = number(s, pos, 2);
          pos += 2;
        }
        if (oh > 23 || om > 59)
          return std::nullopt;
        offset_seconds = sign * (oh * 3600 + om * 60);
      } else {
        return std::nullopt;
      }
      if (pos != s.size())
        return std::nullopt;
    }
  }
  parsed out;
  char buf[64];
  int n = std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", year, month, day, hour,
                        minute, second);
  out.normalized.assign(buf, static_cast<std::size_t>(n));
  if (micros >= 0) {
    n = std::snprintf(buf, sizeof buf, ".%06ld", micros);
    out.normalized.append(buf, static_cast<std::size_t>(n));
  }
  if (zoned) {
    const int total = offset_seconds < 0 ? -offset_seconds : offset_seconds;
    n = std::snprintf(buf, sizeof buf, "%c%02d:%02d", offset_seconds < 0 ? '-' : '+', total / 3600,
                      (total % 3600) / 60);
    out.normalized.append(buf, static_cast<std::size_t>(n));
  }
  out.epoch = static_cast<double>(days_from_civil(year, month, day)) * 86400.0 + hour * 3600.0 +
              minute * 60.0 + second + (micros > 0 ? micros / 1e6 : 0.0) - offset_seconds;
  return out;
}

} // namespace

std::string now_iso8601() {
  using namespace std::chrono;
  const auto now = system_clock::now();
  const auto micros = duration_cast<microseconds>(now.time_since_epoch()).count() % 1000000;
  const std::time_t t = system_clock::to_time_t(now);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06lld+00:00", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<long long>(micros));
  return buf;
}

std::optional<std::string> normalize_iso8601(std::string_view text) {
  auto p = parse(text);
  if (!p)
    return std::nullopt;
  return std::move(p->normalized);
}

std::optional<double> epoch_seconds(std::string_view iso) {
  auto p = parse(iso);
  if (!p)
    return std::nullopt;
  return p->epoch;
}

} // namespace qs::protocol
