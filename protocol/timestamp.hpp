// ISO 8601 timestamps as the Scorpius client reads them: never a trailing 'Z'.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace qs::protocol {

/// The current UTC time as "2026-11-25T10:00:01.123456+00:00".
std::string now_iso8601();

/// Normalises an incoming timestamp ("2026-11-25T10:00:00", with a fraction,
/// with "+00:00", "+05:30" or "Z", or a date alone) to the one shape Python's
/// `datetime.fromisoformat` reads on every version:
/// YYYY-MM-DDTHH:MM:SS[.ffffff][+HH:MM] ('Z' becomes "+00:00"; a fraction is
/// written with 6 digits; an offset-less time stays naive). Nullopt when it is
/// not a valid date-time.
std::optional<std::string> normalize_iso8601(std::string_view text);

/// Seconds since the epoch (UTC) of a normalised timestamp; naive times are taken as UTC.
std::optional<double> epoch_seconds(std::string_view iso);

} // namespace qs::protocol
