#include "actors/anomaly/streaming/series_csv.hpp"

#include <charconv>
#include <cmath>
#include <vector>

#include "protocol/timestamp.hpp"

namespace qs::streaming {

namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t' || text.front() == '"'))
    text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '"'))
    text.remove_suffix(1);
  return text;
}

std::vector<std::string_view> split(std::string_view line) {
  std::vector<std::string_view> fields;
  for (std::size_t start = 0;;) {
    auto comma = line.find(',', start);
    fields.push_back(line.substr(start, comma - start));
    if (comma == std::string_view::npos)
      return fields;
    start = comma + 1;
  }
}

std::optional<double> number(std::string_view text) {
  double value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(value))
    return std::nullopt;
  return value;
}

} // namespace

std::string_view chomp(std::string_view line) {
  if (!line.empty() && line.back() == '\r')
    line.remove_suffix(1);
  return line;
}

std::optional<double> series_time(std::string_view text) {
  if (text.empty())
    return std::nullopt;
  if (auto seconds = number(text))
    return seconds;
  std::string iso(text);
  if (iso.size() > 10 && iso[10] == ' ')
    iso[10] = 'T';
  auto normal = protocol::normalize_iso8601(iso);
  if (!normal)
    return std::nullopt;
  return protocol::epoch_seconds(*normal);
}

std::variant<csv_columns, std::string> read_header(std::string_view line) {
  auto fields = split(chomp(line));
  csv_columns columns;
  columns.count = fields.size();
  bool time_found = false, value_found = false;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (trim(fields[i]) == "timestamp" && !time_found) {
      columns.timestamp = i;
      time_found = true;
    } else if (trim(fields[i]) == "value" && !value_found) {
      columns.value = i;
      value_found = true;
    }
  }
  if (!time_found || !value_found)
    return std::string("the header must name the columns \"timestamp\" and \"value\"");
  return columns;
}

std::variant<csv_row, std::string> read_row(std::string_view line, const csv_columns& columns) {
  auto fields = split(chomp(line));
  if (fields.size() < columns.count)
    return "has " + std::to_string(fields.size()) + " fields, the header has " +
           std::to_string(columns.count);
  csv_row row;
  row.timestamp = fields[columns.timestamp];
  row.value = fields[columns.value];
  auto time = series_time(trim(row.timestamp));
  if (!time)
    return "timestamp \"" + std::string(row.timestamp) + "\" is not a date-time or epoch seconds";
  auto value = number(trim(row.value));
  if (!value)
    return "value \"" + std::string(row.value) + "\" is not a finite number";
  row.time = *time;
  row.number = *value;
  return row;
}

} // namespace qs::streaming
