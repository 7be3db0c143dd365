// The streaming anomaly detectors' outside bytes: a series CSV as
// `qscan anomaly score` reads it, and a detector state as `load()` reads it.
// Invariants: no crash or sanitizer report; every score is in [0, 1] whatever
// the (finite) values; a field read from a row is text of that row; a state that
// loads saves back to the same bytes and loads again.
#include <cmath>
#include <cstring>
#include <string>

#include "actors/anomaly/streaming/detector.hpp"
#include "actors/anomaly/streaming/series_csv.hpp"
#include "tests/fuzz/fuzz_input.hpp"

namespace {

using namespace qs::streaming;
using qs::fuzz::require;

void feed(detector& d, double time, double value) {
  const double score = d.update(time, value);
  require(score >= 0 && score <= 1, "a score outside [0, 1]");
}

void fuzz_csv(std::string_view text) {
  std::vector<std::unique_ptr<detector>> detectors;
  for (const auto& name : detector_names())
    detectors.push_back(make_detector(name));
  std::optional<csv_columns> columns;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find('\n', start);
    auto line = chomp(text.substr(start, end == std::string_view::npos ? end : end - start));
    start = end == std::string_view::npos ? text.size() + 1 : end + 1;
    if (!columns) {
      auto header = read_header(line);
      if (auto* c = std::get_if<csv_columns>(&header))
        columns = *c;
      continue;
    }
    auto row = read_row(line, *columns);
    if (auto* r = std::get_if<csv_row>(&row)) {
      require(line.find(r->timestamp) != std::string_view::npos, "a timestamp not from its row");
      require(line.find(r->value) != std::string_view::npos, "a value not from its row");
      require(std::isfinite(r->number), "a non-finite value accepted");
      for (auto& d : detectors)
        feed(*d, r->time, r->number);
    } else {
      require(!std::get<std::string>(row).empty(), "an error without a reason");
    }
  }
}

void fuzz_state(std::string_view bytes) {
  for (const auto& name : detector_names()) {
    auto d = make_detector(name);
    if (!d->load(bytes))
      continue;
    const auto saved = d->save();
    auto again = make_detector(name);
    require(again->load(saved), "a loaded state does not load again");
    require(again->save() == saved, "a loaded state saves to other bytes");
    for (int i = 0; i < 16; ++i)
      feed(*d, i, i % 3 * 1e6);
  }
}

void fuzz_values(std::string_view bytes) {
  auto d = make_detector("ensemble");
  for (std::size_t at = 0; at + sizeof(double) <= bytes.size(); at += sizeof(double)) {
    double value = 0;
    std::memcpy(&value, bytes.data() + at, sizeof value);
    if (std::isfinite(value))
      feed(*d, static_cast<double>(at), value);
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0)
    return 0;
  const auto rest = qs::fuzz::text_of(data + 1, size - 1);
  switch (data[0] % 3) {
  case 0:
    fuzz_csv(rest);
    break;
  case 1:
    fuzz_state(rest);
    break;
  default:
    fuzz_values(rest);
  }
  return 0;
}
