// Reading a `timestamp,value` series as NAB writes it, one row at a time: a
// header naming both columns (others are ignored), CRLF or LF line ends, blank
// lines skipped, timestamps as "YYYY-MM-DD HH:MM:SS", ISO 8601 or epoch seconds.
// Pure; errors are values naming the line.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace qs::streaming {

/// Seconds since the epoch of a series timestamp; nullopt when it is none of the shapes above.
std::optional<double> series_time(std::string_view text);

struct csv_columns {
  std::size_t timestamp = 0;
  std::size_t value = 1;
  std::size_t count = 2;
};

struct csv_row {
  std::string_view timestamp; ///< the field as written (spaces and quotes kept)
  std::string_view value;     ///< the field as written
  double time = 0;
  double number = 0;
};

/// The columns of a header line; an error text when a column is missing.
std::variant<csv_columns, std::string> read_header(std::string_view line);

/// One data line (without its line end); an error text when it is malformed.
std::variant<csv_row, std::string> read_row(std::string_view line, const csv_columns& columns);

/// `line` without a trailing '\r'.
std::string_view chomp(std::string_view line);

} // namespace qs::streaming
