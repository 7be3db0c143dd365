// qs-bench-anomaly: points per second and bytes per series of every streaming
// detector, on the NAB corpus (every CSV under DIR, read into memory first) or,
// without DIR, on a synthetic series of a million points.
//
//   qs-bench-anomaly [DIR] [--rounds N]     (run it pinned: taskset -c 0 ...)
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "actors/anomaly/streaming/detector.hpp"
#include "actors/anomaly/streaming/series_csv.hpp"

namespace {

using series = std::vector<std::pair<double, double>>;

std::vector<series> read_corpus(const std::filesystem::path& dir) {
  std::vector<series> corpus;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.path().extension() != ".csv")
      continue;
    std::ifstream in(entry.path());
    std::string line;
    std::optional<qs::streaming::csv_columns> columns;
    series s;
    while (std::getline(in, line)) {
      if (qs::streaming::chomp(line).empty())
        continue;
      if (!columns) {
        auto header = qs::streaming::read_header(line);
        if (!std::holds_alternative<qs::streaming::csv_columns>(header))
          break;
        columns = std::get<qs::streaming::csv_columns>(header);
        continue;
      }
      auto row = qs::streaming::read_row(line, *columns);
      if (auto* r = std::get_if<qs::streaming::csv_row>(&row))
        s.emplace_back(r->time, r->number);
    }
    corpus.push_back(std::move(s));
  }
  return corpus;
}

series synthetic(std::size_t n) {
  std::mt19937 rng(1);
  std::normal_distribution<double> noise(0, 1);
  series s;
  for (std::size_t i = 0; i < n; ++i)
    s.emplace_back(300.0 * static_cast<double>(i),
                   50 + 10 * std::sin(static_cast<double>(i) / 40.0) + noise(rng));
  return s;
}

} // namespace

int main(int argc, char** argv) {
  std::vector<series> corpus;
  int rounds = 5;
  std::string source = "synthetic (1,000,000 points)";
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--rounds" && i + 1 < argc)
      rounds = std::max(1, std::atoi(argv[++i]));
    else {
      corpus = read_corpus(arg);
      source = arg;
    }
  }
  if (corpus.empty())
    corpus.push_back(synthetic(1000000));
  std::size_t points = 0;
  for (const auto& s : corpus)
    points += s.size();
  std::printf("source: %s, %zu series, %zu points, best of %d rounds\n", source.c_str(),
              corpus.size(), points, rounds);
  std::printf("%-12s %16s %14s %14s\n", "detector", "points/s", "ns/point", "bytes/series");
  for (const auto& name : qs::streaming::detector_names()) {
    double best = 1e300;
    double checksum = 0;
    std::size_t bytes = 0;
    for (int round = 0; round < rounds; ++round) {
      auto start = std::chrono::steady_clock::now();
      for (const auto& s : corpus) {
        auto d = qs::streaming::make_detector(name);
        for (const auto& [t, v] : s)
          checksum += d->update(t, v);
        bytes = std::max(bytes, d->memory_bytes());
      }
      best = std::min(
          best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    std::printf("%-12s %16.0f %14.1f %14zu   (checksum %.3f)\n", name.c_str(),
                static_cast<double>(points) / best, best * 1e9 / static_cast<double>(points), bytes,
                checksum);
  }
  return 0;
}
