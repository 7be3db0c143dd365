#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "actors/anomaly/streaming/detector.hpp"
#include "actors/anomaly/streaming/distribution_novelty.hpp"
#include "actors/anomaly/streaming/ensemble.hpp"
#include "actors/anomaly/streaming/series_csv.hpp"
#include "actors/anomaly/streaming/sorted_window.hpp"

using namespace qs::streaming;

namespace {

// A noisy daily-ish pattern with one spike at `spike` (-1: none).
std::vector<double> pattern(std::size_t n, long spike, unsigned seed = 7) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> noise(0, 1);
  std::vector<double> v;
  for (std::size_t i = 0; i < n; ++i)
    v.push_back(50 + 10 * std::sin(static_cast<double>(i) / 20.0) + noise(rng));
  if (spike >= 0)
    v[static_cast<std::size_t>(spike)] += 80;
  return v;
}

// Five-minute points with a daily peak from 09:00 to 18:00, and no peak on day
// `missing` (-1: every day has it).
std::vector<double> daily(int days, int missing, unsigned seed = 3) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> noise(0, 1);
  std::vector<double> v;
  for (int i = 0; i < days * 288; ++i) {
    int minute = (i % 288) * 5;
    bool peak = minute >= 9 * 60 && minute < 18 * 60 && i / 288 != missing;
    v.push_back((peak ? 80 : 20) + noise(rng));
  }
  return v;
}

// The detectors that judge any series; `seasonal` speaks only on seasonal ones.
bool general(const std::string& name) {
  return name != "seasonal";
}

std::vector<double> scores(detector& d, const std::vector<double>& values) {
  std::vector<double> out;
  for (std::size_t i = 0; i < values.size(); ++i)
    out.push_back(d.update(300.0 * static_cast<double>(i), values[i]));
  return out;
}

} // namespace

TEST_CASE("a sorted window gives the quantiles of its last values only", "[streaming]") {
  sorted_window w(4);
  for (double x : {9.0, 1.0, 5.0, 3.0, 7.0}) // 9 falls out
    w.push(x);
  REQUIRE(w.size() == 4);
  CHECK(w.quantile(0) == 1);
  CHECK(w.quantile(1) == 7);
  CHECK(w.median() == Approx(4.0)); // between 3 and 5
  w.push(2.0);                      // 1 falls out: 2 3 5 7
  CHECK(w.quantile(0) == 2);
  CHECK(w.median() == Approx(4.0));
}

TEST_CASE("every detector scores in [0, 1], one score per point, and flags a spike",
          "[streaming]") {
  auto values = pattern(3000, 2500);
  for (const auto& name : detector_names()) {
    INFO(name);
    if (!general(name))
      continue;
    auto d = make_detector(name);
    REQUIRE(d);
    auto s = scores(*d, values);
    REQUIRE(s.size() == values.size());
    for (double x : s)
      REQUIRE((x >= 0 && x <= 1));
    double spike = s[2500];
    double before = 0;
    for (std::size_t i = 1000; i < 2500; ++i)
      before = std::max(before, s[i]);
    CHECK(spike >= before);
    CHECK(spike >= 0.5);
    CHECK(d->points() == values.size());
  }
}

TEST_CASE("a detector's score at t does not depend on the points after t", "[streaming]") {
  auto values = pattern(2000, 1500);
  for (const auto& name : detector_names()) {
    INFO(name);
    auto whole = scores(*make_detector(name), values);
    std::vector<double> prefix(values.begin(), values.begin() + 1600);
    auto part = scores(*make_detector(name), prefix);
    for (std::size_t i = 0; i < prefix.size(); ++i)
      REQUIRE(part[i] == whole[i]);
  }
}

TEST_CASE("a detector restored from its saved state answers as the original", "[streaming]") {
  auto values = pattern(1500, 1200);
  for (const auto& name : detector_names()) {
    INFO(name);
    auto original = make_detector(name);
    for (std::size_t i = 0; i < 1000; ++i)
      original->update(static_cast<double>(i), values[i]);
    auto copy = make_detector(name);
    REQUIRE(copy->load(original->save()));
    for (std::size_t i = 1000; i < values.size(); ++i)
      REQUIRE(copy->update(static_cast<double>(i), values[i]) ==
              original->update(static_cast<double>(i), values[i]));
  }
}

TEST_CASE("a detector refuses a state that is not its own or is cut short", "[streaming]") {
  auto ensemble_state = make_detector("ensemble")->save();
  auto context = make_detector("context");
  CHECK_FALSE(context->load(ensemble_state));
  auto ensemble = make_detector("ensemble");
  CHECK_FALSE(ensemble->load(ensemble_state.substr(0, ensemble_state.size() - 3)));
  CHECK_FALSE(ensemble->load("garbage"));
  CHECK(make_detector("no-such-detector") == nullptr);
  CHECK(detector_names().front() == default_detector());
}

TEST_CASE("a flat series is never an anomaly until it changes", "[streaming]") {
  for (const auto& name : detector_names()) {
    INFO(name);
    auto d = make_detector(name);
    double highest = 0;
    for (int i = 0; i < 2000; ++i)
      highest = std::max(highest, d->update(300.0 * i, 42.0));
    CHECK(highest == 0);
    if (general(name))
      CHECK(d->update(300.0 * 2000, 90.0) >= 0.5);
  }
}

TEST_CASE("a missing daily peak is seen although no value is unusual", "[streaming]") {
  const auto values = daily(14, 12);
  const std::size_t day12 = 12 * 288, peak = day12 + 9 * 12, noon = day12 + 12 * 12;
  seasonal alone;
  auto season = scores(alone, values);
  double before = 0, during = 0;
  for (std::size_t i = 3 * 288; i < day12; ++i)
    before = std::max(before, season[i]);
  for (std::size_t i = peak; i < noon; ++i)
    during = std::max(during, season[i]);
  CHECK(before < 0.5);
  CHECK(during >= 0.5);

  ensemble_params without;
  without.seasonal.period = 0;
  ensemble plain_detector(without), full_detector;
  auto plain = scores(plain_detector, values);
  auto full = scores(full_detector, values);
  CHECK(*std::max_element(plain.begin() + peak, plain.begin() + noon) < 0.5);
  CHECK(*std::max_element(full.begin() + peak, full.begin() + noon) >= 0.5);
}

TEST_CASE("the seasonal detector is silent on a series without a daily profile", "[streaming]") {
  std::mt19937 rng(11);
  std::normal_distribution<double> noise(0, 5);
  seasonal d;
  double highest = 0, level = 50;
  for (int i = 0; i < 14 * 288; ++i) {
    level += noise(rng) * 0.2; // a random walk plus noise: yesterday says nothing
    highest = std::max(highest, d.update(300.0 * i, level + noise(rng)));
  }
  CHECK(highest == 0);
}

TEST_CASE("distribution novelty speaks when the values' spread changes, and knows a spread it "
          "has seen",
          "[streaming]") {
  distribution_novelty d;
  std::vector<double> s;
  // 600 values spread over 0..100, 600 over its middle tenth, then spread again.
  for (int i = 0; i < 1800; ++i) {
    double wide = i * 37 % 101, narrow = 45 + i * 7 % 11;
    s.push_back(d.update(i, i >= 600 && i < 1200 ? narrow : wide));
  }
  auto count = [&](int from, int to) { return std::count(s.begin() + from, s.begin() + to, 1.0); };
  CHECK(count(300, 600) == 0);   // learned
  CHECK(count(600, 660) >= 1);   // the spread narrows: never seen
  CHECK(count(700, 1200) == 0);  // learned again
  CHECK(count(1260, 1800) == 0); // spread again: a distribution it knows
}

TEST_CASE("the default ensemble needs two parts to agree before its score passes the gate",
          "[streaming]") {
  ensemble_params p;
  CHECK(p.context_weight < p.cooldown_gate);
  CHECK(p.distribution_weight < p.cooldown_gate);
  CHECK(p.robust_weight < p.cooldown_gate);
  CHECK(p.context_weight + p.distribution_weight >= p.cooldown_gate);
}

TEST_CASE("values near the largest double still score in [0, 1]", "[streaming]") {
  for (const auto& name : detector_names()) {
    INFO(name);
    auto d = make_detector(name);
    for (int i = 0; i < 900; ++i) { // three days of five-minute points
      double score = d->update(300.0 * i, (i % 2 ? 1 : -1) * 1.7e308);
      REQUIRE((score >= 0 && score <= 1));
    }
  }
}

TEST_CASE("the cooldown silences the points after an alert", "[streaming]") {
  cooldown c(3, 0.5);
  CHECK(c.apply(0.9) == 0.9);
  CHECK(c.apply(0.2) == 0); // 1 point after
  CHECK(c.apply(0.2) == 0); // 2
  CHECK(c.apply(0.6) == 0); // 3: silenced, and it starts the cooldown again
  CHECK(c.apply(0.2) == 0);
  CHECK(c.apply(0.2) == 0);
  CHECK(c.apply(0.2) == 0);
  CHECK(c.apply(0.7) == 0.7);
}

TEST_CASE("detector memory stays bounded however long the series", "[streaming]") {
  for (const auto& name : detector_names()) {
    INFO(name);
    auto d = make_detector(name);
    auto values = pattern(1000, -1);
    for (double x : values)
      d->update(0, x);
    auto after_1000 = d->memory_bytes();
    for (int round = 0; round < 20; ++round)
      for (double x : values)
        d->update(0, x * (1 + round));
    CHECK(d->memory_bytes() == after_1000);
    CHECK(after_1000 < 20 * 1024);
  }
}

TEST_CASE("series CSV rows keep their text and parse NAB, ISO and epoch timestamps",
          "[streaming]") {
  auto header = read_header("value,timestamp\r");
  REQUIRE(std::holds_alternative<csv_columns>(header));
  auto columns = std::get<csv_columns>(header);
  auto row = read_row("1.50,2014-04-10 00:05:00\r", columns);
  REQUIRE(std::holds_alternative<csv_row>(row));
  CHECK(std::get<csv_row>(row).value == "1.50");
  CHECK(std::get<csv_row>(row).timestamp == "2014-04-10 00:05:00");
  CHECK(std::get<csv_row>(row).time == Approx(1397088300.0));
  CHECK(series_time("2014-04-10T00:05:00Z") == Approx(1397088300.0));
  CHECK(series_time("1397088300") == Approx(1397088300.0));
  CHECK_FALSE(series_time("yesterday"));
  auto bad = read_row("abc,2014-04-10 00:05:00", columns);
  REQUIRE(std::holds_alternative<std::string>(bad));
  CHECK(std::get<std::string>(bad).find("\"abc\" is not a finite number") != std::string::npos);
  CHECK(std::holds_alternative<std::string>(read_row("1.0", columns)));
  CHECK(std::holds_alternative<std::string>(read_header("time,value")));
}
