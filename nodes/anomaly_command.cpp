#include "nodes/anomaly_command.hpp"

#include <cstdio>
#include <fstream>
#include <iostream>
#include <optional>

#include "actors/anomaly/streaming/detector.hpp"
#include "actors/anomaly/streaming/series_csv.hpp"

namespace qs::nodes {
namespace {

const char* usage = R"(usage: qscan anomaly score --input FILE.csv [--detector NAME] [--strict-time]

Scores a series point by point with a streaming anomaly detector and writes CSV
"timestamp,value,anomaly_score" to stdout: one row per input row, timestamp and
value copied as written, the score in [0, 1] computed from that row and the
rows before it only (warm-up rows score 0). FILE.csv has a header naming the
columns "timestamp" and "value" (NAB's layout); "-" reads stdin. Timestamps are
"YYYY-MM-DD HH:MM:SS", ISO 8601 or epoch seconds. Rows are scored in the order
they come: a timestamp that repeats or steps back (a clock change on the
recording machine) is scored like any other row, and the rows that step back
are counted in a warning on stderr; --strict-time refuses them instead (exit 1,
naming the line). Values must be finite numbers.

Detectors (--detector, default ensemble):
  ensemble      a vote: 0.4 x context + 0.4 x distribution + 0.2 x robust-z,
                each the highest of its last 3 scores, or seasonal when higher;
                then a 50-row cooldown after a score of 0.6 or more (one part
                alone stays under 0.6; the product runs its own settings)
  context       novelty of the last three value levels on an adaptive grid,
                and values past the range seen so far
  distribution  the last 52 values distributed as never before (relative
                entropy against the distributions learned, 5 bins over the
                range seen so far)
  robust-z      distance from the median of the last 128 points in
                interquartile ranges, as a tail probability against the
                series' own history
  seasonal      each value against the same time of day one day earlier, on
                series the day explains (silent on others)

Exit status: 0 when every row was scored, 1 on a bad row or file (the message
names the line), 2 on a usage error.
)";

int usage_error(const std::string& why) {
  std::cerr << "qscan anomaly: " << why << "\n(see qscan anomaly --help)\n";
  return 2;
}

int fail(const std::string& input, std::size_t line, const std::string& why) {
  std::cerr << "qscan anomaly: " << input << ":" << line << ": " << why << "\n";
  return 1;
}

int score(std::istream& in, const std::string& input, streaming::detector& detector,
          bool strict_time) {
  std::string line;
  std::size_t number = 0;
  std::optional<streaming::csv_columns> columns;
  double last_time = -1e300;
  std::size_t backward = 0, first_backward = 0;
  std::string out = "timestamp,value,anomaly_score\n";
  char digits[32];
  while (std::getline(in, line)) {
    ++number;
    if (streaming::chomp(line).empty())
      continue;
    if (!columns) {
      auto header = streaming::read_header(line);
      if (auto* why = std::get_if<std::string>(&header))
        return fail(input, number, *why);
      columns = std::get<streaming::csv_columns>(header);
      continue;
    }
    auto parsed = streaming::read_row(line, *columns);
    if (auto* why = std::get_if<std::string>(&parsed))
      return fail(input, number, *why);
    auto& row = std::get<streaming::csv_row>(parsed);
    if (row.time < last_time) {
      if (strict_time)
        return fail(input, number, "timestamp is earlier than the previous row's");
      if (backward++ == 0)
        first_backward = number;
    }
    last_time = row.time;
    double score = detector.update(row.time, row.number);
    std::snprintf(digits, sizeof digits, "%.6f", score);
    out.append(row.timestamp).append(",").append(row.value).append(",").append(digits).append("\n");
    if (out.size() >= 1 << 16) {
      std::fwrite(out.data(), 1, out.size(), stdout);
      out.clear();
    }
  }
  if (in.bad())
    return fail(input, number, "read error");
  if (!columns)
    return fail(input, number, "no header line");
  std::fwrite(out.data(), 1, out.size(), stdout);
  if (backward > 0)
    std::cerr << "qscan anomaly: warning: " << input << ": " << backward
              << (backward == 1 ? " row has a timestamp" : " rows have a timestamp")
              << " earlier than the row before (first at line " << first_backward
              << "); scored in arrival order (--strict-time refuses them)\n";
  return std::fflush(stdout) == 0 ? 0 : 1;
}

} // namespace

int run_anomaly(const std::vector<std::string>& args) {
  if (args.empty())
    return usage_error("no command");
  if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::cout << usage;
    return 0;
  }
  if (args[0] != "score")
    return usage_error("unknown command \"" + args[0] + "\"");
  std::string input, name(streaming::default_detector());
  bool strict_time = false;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const auto& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      std::cout << usage;
      return 0;
    }
    if (arg == "--strict-time")
      strict_time = true;
    else if ((arg == "--input" || arg == "--detector") && i + 1 < args.size())
      (arg == "--input" ? input : name) = args[++i];
    else
      return usage_error("unknown or incomplete option \"" + arg + "\"");
  }
  if (input.empty())
    return usage_error("--input FILE is required");
  auto detector = streaming::make_detector(name);
  if (!detector) {
    std::string known;
    for (const auto& each : streaming::detector_names())
      known += (known.empty() ? "" : ", ") + each;
    return usage_error("unknown detector \"" + name + "\" (known: " + known + ")");
  }
  if (input == "-")
    return score(std::cin, "stdin", *detector, strict_time);
  std::ifstream file(input);
  if (!file)
    return fail(input, 0, "cannot open the file");
  return score(file, input, *detector, strict_time);
}

} // namespace qs::nodes
