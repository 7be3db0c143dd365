#include <string>

#include <catch2/catch.hpp>

#include "actors/anomaly/anomaly_shard.hpp"
#include "actors/anomaly/asset_series.hpp"
#include "actors/scanner/asset_scan.hpp"

using namespace qs;

namespace {

protocol::scan_result scan(int day, int findings) {
  protocol::scan_result r;
  r.asset_id = "web-01";
  char ts[32];
  std::snprintf(ts, sizeof ts, "2026-01-%02dT10:00:00", day);
  r.timestamp = ts;
  for (int i = 0; i < findings; ++i) {
    protocol::vulnerability v;
    v.type = "misconfiguration";
    v.level = protocol::severity::low;
    r.vulnerabilities.push_back(v);
  }
  return r;
}

} // namespace

TEST_CASE("an asset's series stay silent through the cold start", "[series]") {
  anomaly::asset_series series;
  for (int day = 1; day <= static_cast<int>(anomaly::cold_start_points); ++day) {
    auto scores = series.update(scan(day, 3));
    for (const auto& s : scores)
      CHECK_FALSE(s);
  }
  auto scores = series.update(scan(9, 3));
  CHECK(scores[0]);       // finding_count speaks from its 9th point
  CHECK_FALSE(scores[4]); // no certificate expiry in these scans
}

TEST_CASE("a jump in an asset's findings after a steady history is a metric anomaly "
          "naming its series and point",
          "[series]") {
  anomaly::asset_series series;
  for (int day = 1; day <= 20; ++day)
    series.update(scan(day, 3 + day % 2));
  auto jump = scan(21, 40);
  auto scores = series.update(jump);
  REQUIRE(scores[0]);
  CHECK(*scores[0] >= anomaly::alert_score);
  auto answer = anomaly::with_series_alerts({}, jump, scores, series.scans());
  CHECK(answer.is_anomaly);
  CHECK(answer.anomaly_score >= 0.5);
  REQUIRE(answer.anomaly_types == std::vector<std::string>{"metric_anomaly"});
  REQUIRE_FALSE(answer.details.empty());
  CHECK(answer.details[0].find("series finding_count: 40 at 2026-01-21T10:00:00") == 0);
  // The cooldown: the next scans, as high, do not alert again at once.
  auto next = series.update(scan(22, 40));
  CHECK((!next[0] || *next[0] < anomaly::alert_score));
}

TEST_CASE("steady scans raise no metric anomaly", "[series]") {
  anomaly::asset_series series;
  for (int day = 1; day <= 28; ++day) {
    auto s = scan(day, 5);
    auto answer = anomaly::with_series_alerts({}, s, series.update(s), series.scans());
    CHECK_FALSE(answer.is_anomaly);
    CHECK(answer.anomaly_types.empty());
  }
}

TEST_CASE("the asset cache evicts the least recently used asset", "[series]") {
  actors::asset_cache cache(2);
  cache.put({"a", std::nullopt, {}, 0});
  cache.put({"b", std::nullopt, {}, 0});
  REQUIRE(cache.find("a")); // a is now the most recent
  cache.put({"c", std::nullopt, {}, 0});
  CHECK(cache.size() == 2);
  CHECK(cache.find("a"));
  CHECK(cache.find("c"));
  CHECK_FALSE(cache.find("b"));
}

TEST_CASE("a scanned TLS target's earliest leaf certificate expiry is its days-to-expiry point",
          "[series]") {
  scanner::target_result r;
  r.target = "tls://127.0.0.1:8443";
  r.tls.emplace();
  scanner::served_certificate rsa, ecdsa, intermediate;
  rsa.info.not_after = "2027-01-02T10:00:00Z";
  ecdsa.info.not_after = "2026-12-13T10:00:00Z"; // the earlier leaf
  ecdsa.chain = 1;
  intermediate.info.not_after = "2026-12-05T10:00:00Z"; // not a leaf: ignored
  intermediate.position = 1;
  r.tls->certificates = {rsa, ecdsa, intermediate};
  auto scan = scanner::asset_scan(r, "2026-12-03T10:00:00+00:00", "scan-1");
  CHECK(scan.metadata().at("certificate_not_after") == "2026-12-13T10:00:00Z");
  auto values = anomaly::metric_values(scan);
  REQUIRE(values[4]);
  CHECK(*values[4] == Approx(10.0));
  CHECK(anomaly::metric_names()[4] == "days_to_certificate_expiry");
  CHECK(values[0] == 0.0); // no findings
}

TEST_CASE("an asset's series are scored as before step 8: the mean of context and robust z, "
          "with a 3-point cooldown, whatever the NAB defaults",
          "[series]") {
  auto params = anomaly::asset_detector_params();
  streaming::ensemble series(params);
  streaming::context_novelty context(params.context);
  streaming::robust_z robust(params.robust);
  streaming::cooldown gate(3, anomaly::alert_score);
  CHECK(params.robust.cap == 7);
  CHECK(params.robust.window == 32);
  CHECK(params.distribution.window == 0);
  CHECK(params.seasonal.period == 0);
  double time = 1.7e9;
  for (int i = 0; i < 200; ++i) {
    double value = (i * 7919 % 13) + (i == 120 ? 40 : 0);
    time += i % 5 == 0 ? -3600 : 86400; // a clock that sometimes steps back changes nothing
    double expected =
        gate.apply(0.5 * context.update(time, value) + 0.5 * robust.update(time, value));
    REQUIRE(series.update(time, value) == expected);
  }
}
