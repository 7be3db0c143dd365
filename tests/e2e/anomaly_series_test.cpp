// Streaming anomaly detection as a user meets it: `qscan anomaly score` on CSV
// series, and each asset's metric series behind detect-anomalies and
// GET /v1/assets/{id}/series, across a SIGKILL and restart.
#include <catch2/catch.hpp>

#include <cmath>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <boost/json.hpp>

#include "tests/support/http_client.hpp"
#include "tests/support/qscan_server.hpp"
#include "tests/support/run_qscan.hpp"
#include "tests/support/temp_dir.hpp"

using namespace qs::test;
namespace json = boost::json;

namespace {

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    out.push_back(line);
  return out;
}

void write(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// A NAB-shaped series (CRLF line ends) with a level shift at row 700.
std::string series_csv(int rows) {
  std::string csv = "timestamp,value\r\n";
  for (int i = 0; i < rows; ++i) {
    char line[96];
    double value = 20 + 5 * std::sin(i / 12.0) + (i >= 700 ? 30 : 0) + (i % 7) * 0.1;
    std::snprintf(line, sizeof line, "2014-04-%02d %02d:%02d:00,%.3f\r\n", 1 + i / 288,
                  (i % 288) / 12, (i % 12) * 5, value);
    csv += line;
  }
  return csv;
}

// 14 days of five-minute rows with a daily peak from 09:00 to 18:00, except on
// 2014-04-13 (rows 3456 on), and a small deterministic wobble.
std::string daily_csv() {
  std::string csv = "timestamp,value\n";
  for (int i = 0; i < 14 * 288; ++i) {
    int minute = (i % 288) * 5;
    bool peak = minute >= 9 * 60 && minute < 18 * 60 && i / 288 != 12;
    char line[96];
    std::snprintf(line, sizeof line, "2014-04-%02d %02d:%02d:00,%.2f\n", 1 + i / 288, minute / 60,
                  minute % 60, (peak ? 80 : 20) + (i * 7919 % 13) / 6.0);
    csv += line;
  }
  return csv;
}

std::string field(const std::string& line, int index) {
  std::istringstream in(line);
  std::string part;
  for (int i = 0; i <= index; ++i)
    std::getline(in, part, ',');
  return part;
}

std::string scan_body(const std::string& asset, int day, int findings) {
  std::string body = R"({"scan_results":[{"asset_id":")" + asset + R"(","timestamp":"2026-01-)" +
                     (day < 10 ? "0" : "") + std::to_string(day) +
                     R"(T10:00:00","vulnerabilities":[)";
  for (int i = 0; i < findings; ++i)
    body += std::string(i ? "," : "") + R"({"type":"misconfiguration","severity":"low"})";
  return body + "]}]}";
}

json::value detect(http_client& client, const std::string& asset, int day, int findings) {
  auto reply =
      client.request("POST", "/ai-threat-predictor/detect-anomalies",
                     scan_body(asset, day, findings), {{"Content-Type", "application/json"}});
  REQUIRE(reply.status == 200);
  return reply.json().at("anomalies").at(0);
}

// Findings per day: steady with a wobble, a jump on day 21, steady again.
int findings_on(int day) {
  return day == 21 ? 40 : 3 + day % 2;
}

} // namespace

TEST_CASE("qscan anomaly score writes one scored row per input row, with no look-ahead",
          "[anomaly-cli]") {
  temp_dir dir("qs-anomaly-cli-");
  const std::string whole = series_csv(1000);
  write(dir.file("whole.csv"), whole);
  auto prefix_lines = lines(whole);
  std::string prefix;
  for (std::size_t i = 0; i < 750; ++i)
    prefix += prefix_lines[i] + "\n";
  write(dir.file("prefix.csv"), prefix);

  for (std::string detector : {"ensemble", "context", "robust-z", "seasonal", "distribution"}) {
    INFO(detector);
    auto full =
        run_qscan({"anomaly", "score", "--input", "whole.csv", "--detector", detector}, dir.path());
    REQUIRE(full.code == 0);
    auto rows = lines(full.out);
    REQUIRE(rows.size() == 1001);
    CHECK(rows[0] == "timestamp,value,anomaly_score");
    double shift = 0, before = 0;
    for (std::size_t i = 1; i < rows.size(); ++i) {
      std::string input = prefix_lines[i];
      if (!input.empty() && input.back() == '\r')
        input.pop_back();
      REQUIRE(rows[i].rfind(input + ",", 0) == 0); // timestamp and value verbatim
      double score = std::stod(field(rows[i], 2));
      REQUIRE((score >= 0 && score <= 1));
      if (i - 1 >= 700 && i - 1 < 710)
        shift = std::max(shift, score);
      else if (i - 1 >= 300 && i - 1 < 700)
        before = std::max(before, score);
    }
    if (detector != "seasonal") { // it judges days against days: see the next test
      CHECK(shift >= before);
      CHECK(shift >= 0.5);
    }

    auto part = run_qscan({"anomaly", "score", "--input", "prefix.csv", "--detector", detector},
                          dir.path());
    REQUIRE(part.code == 0);
    auto part_rows = lines(part.out);
    REQUIRE(part_rows.size() == 750);
    for (std::size_t i = 0; i < part_rows.size(); ++i)
      REQUIRE(part_rows[i] == rows[i]);
  }
}

TEST_CASE("qscan anomaly score sees a day without its daily peak", "[anomaly-cli]") {
  temp_dir dir("qs-anomaly-daily-");
  write(dir.file("daily.csv"), daily_csv());
  for (std::string detector : {"seasonal", "ensemble"}) {
    INFO(detector);
    auto r =
        run_qscan({"anomaly", "score", "--input", "daily.csv", "--detector", detector}, dir.path());
    REQUIRE(r.code == 0);
    auto rows = lines(r.out);
    REQUIRE(rows.size() == 14 * 288 + 1);
    double missing = 0; // 09:00 to 12:00 of the day without its peak
    for (std::size_t i = 12 * 288 + 9 * 12; i < 12 * 288 + 12 * 12; ++i)
      missing = std::max(missing, std::stod(field(rows[i + 1], 2)));
    CHECK(rows[12 * 288 + 9 * 12 + 1].rfind("2014-04-13 09:00:00,", 0) == 0);
    CHECK(missing >= 0.5);
  }
}

TEST_CASE("qscan anomaly score scores a NAB series of the shared data", "[anomaly-cli]") {
  const std::string nab = std::string(QS_SHARED_DATA) + "/nab/data/realAWSCloudwatch";
  if (!std::filesystem::exists(nab + "/ec2_cpu_utilization_825cc2.csv")) {
    WARN("skipped: no NAB data at " << nab);
    return;
  }
  temp_dir dir("qs-anomaly-nab-");
  auto r = run_qscan({"anomaly", "score", "--input", nab + "/ec2_cpu_utilization_825cc2.csv"},
                     dir.path());
  REQUIRE(r.code == 0);
  std::ifstream in(nab + "/ec2_cpu_utilization_825cc2.csv");
  std::stringstream text;
  text << in.rdbuf();
  CHECK(lines(r.out).size() == lines(text.str()).size());
}

// Three days of five-minute rows whose clock steps back an hour at 2014-04-02
// 12:00 (row 432 is stamped 11:00 again, line 434 of the file); the values
// follow the clock (a daily wave by the time of day written) plus a wobble.
// With `steady`, the same values with a clock that never steps back.
std::string clock_change_csv(bool steady = false) {
  std::string csv = "timestamp,value\n";
  for (int i = 0; i < 3 * 288; ++i) {
    int minute = i * 5 - (i >= 432 ? 60 : 0);
    int stamped = steady ? i * 5 : minute;
    char line[96];
    std::snprintf(line, sizeof line, "2014-04-%02d %02d:%02d:00,%.2f\n", 1 + stamped / 1440,
                  stamped % 1440 / 60, stamped % 60,
                  50 + 20 * std::sin(6.283185307179586 * (minute % 1440) / 1440.0) +
                      (i * 7919 % 13) / 6.0);
    csv += line;
  }
  return csv;
}

std::vector<double> score_column(const std::string& out) {
  std::vector<double> scores;
  auto rows = lines(out);
  for (std::size_t i = 1; i < rows.size(); ++i)
    scores.push_back(std::stod(field(rows[i], 2)));
  return scores;
}

TEST_CASE("qscan anomaly score scores a series whose clock steps back an hour, and warns",
          "[anomaly-cli]") {
  temp_dir dir("qs-anomaly-clock-");
  const std::string csv = clock_change_csv();
  write(dir.file("clock.csv"), csv);
  write(dir.file("steady.csv"), clock_change_csv(true));
  const auto input = lines(csv);
  REQUIRE(input[433].rfind("2014-04-02 11:00:00,", 0) == 0);
  for (std::string detector : {"ensemble", "context", "robust-z", "seasonal", "distribution"}) {
    INFO(detector);
    auto r =
        run_qscan({"anomaly", "score", "--input", "clock.csv", "--detector", detector}, dir.path());
    REQUIRE(r.code == 0);
    CHECK(r.err.find("clock.csv: 1 row has a timestamp earlier than the row before (first at "
                     "line 434)") != std::string::npos);
    auto rows = lines(r.out);
    REQUIRE(rows.size() == input.size());
    for (std::size_t i = 1; i < rows.size(); ++i)
      REQUIRE(rows[i].rfind(input[i] + ",", 0) == 0);
    auto scores = score_column(r.out);
    auto steady = score_column(
        run_qscan({"anomaly", "score", "--input", "steady.csv", "--detector", detector}, dir.path())
            .out);
    REQUIRE(steady.size() == scores.size());
    double highest = 0, steady_highest = 0;
    for (std::size_t i = 0; i < scores.size(); ++i) {
      REQUIRE((scores[i] >= 0 && scores[i] <= 1));
      if (i < 432 || (detector != "ensemble" && detector != "seasonal"))
        REQUIRE(scores[i] == steady[i]); // only the parts that read the clock may differ
      if (i >= 432) {
        highest = std::max(highest, scores[i]);
        steady_highest = std::max(steady_highest, steady[i]);
      }
    }
    CHECK(highest <= steady_highest); // the step back raises no alarm a steady clock would not
  }
  auto strict =
      run_qscan({"anomaly", "score", "--input", "clock.csv", "--strict-time"}, dir.path());
  CHECK(strict.code == 1);
  CHECK(strict.err.find("clock.csv:434: timestamp is earlier than the previous row's") !=
        std::string::npos);
}

TEST_CASE("qscan anomaly score refuses a value that is empty, NaN or infinite, naming the line",
          "[anomaly-cli]") {
  temp_dir dir("qs-anomaly-values-");
  for (std::string value : {"", "nan", "NaN", "inf", "-inf", "1e999"}) {
    INFO("value \"" << value << "\"");
    write(dir.file("v.csv"), "timestamp,value\n2014-04-01 00:00:00,1\n2014-04-01 00:05:00," +
                                 value + "\n2014-04-01 00:10:00,2\n");
    auto r = run_qscan({"anomaly", "score", "--input", "v.csv"}, dir.path());
    CHECK(r.code == 1);
    CHECK(r.err.find("v.csv:3: value \"" + value + "\" is not a finite number") !=
          std::string::npos);
  }
}

TEST_CASE("qscan anomaly score names the bad line, the bad detector and the missing file",
          "[anomaly-cli]") {
  temp_dir dir("qs-anomaly-bad-");
  write(dir.file("bad.csv"), "timestamp,value\n2014-04-01 00:00:00,1\n2014-04-01 00:05:00,high\n");
  auto bad = run_qscan({"anomaly", "score", "--input", "bad.csv"}, dir.path());
  CHECK(bad.code == 1);
  CHECK(bad.err.find("bad.csv:3: value \"high\" is not a finite number") != std::string::npos);
  write(dir.file("nohead.csv"), "when,value\n1,2\n");
  auto header = run_qscan({"anomaly", "score", "--input", "nohead.csv"}, dir.path());
  CHECK(header.code == 1);
  CHECK(header.err.find("nohead.csv:1:") != std::string::npos);
  auto detector =
      run_qscan({"anomaly", "score", "--input", "bad.csv", "--detector", "magic"}, dir.path());
  CHECK(detector.code == 2);
  CHECK(
      detector.err.find("unknown detector \"magic\" (known: ensemble, context, robust-z, seasonal, "
                        "distribution)") != std::string::npos);
  auto missing = run_qscan({"anomaly", "score", "--input", "none.csv"}, dir.path());
  CHECK(missing.code == 1);
  CHECK(missing.err.find("none.csv") != std::string::npos);
}

TEST_CASE("a jump in an asset's findings is a metric anomaly that survives a SIGKILL and "
          "restart, and its series are served for plotting",
          "[anomaly-series]") {
  temp_dir killed_dir("qs-series-killed-"), steady_dir("qs-series-steady-");
  std::vector<json::value> after_restart, uninterrupted;
  {
    qscan_server server({}, killed_dir.path());
    http_client client(server.port());
    for (int day = 1; day <= 20; ++day) {
      auto a = detect(client, "web-01", day, findings_on(day));
      CHECK(a.at("is_anomaly") == false);
    }
    server.process().signal(SIGKILL);
    server.process().wait(std::chrono::seconds(10));
  }
  {
    qscan_server server({}, killed_dir.path());
    http_client client(server.port());
    for (int day = 21; day <= 24; ++day)
      after_restart.push_back(detect(client, "web-01", day, findings_on(day)));

    auto series = client.request("GET", "/v1/assets/web-01/series");
    REQUIRE(series.status == 200);
    auto body = series.json().as_object();
    CHECK(body.at("detector") == "ensemble");
    CHECK(body.at("scans") == 24);
    const auto& all = body.at("series").as_array();
    REQUIRE(all.size() == 5);
    const auto& counts = all.at(0).as_object();
    CHECK(counts.at("name") == "finding_count");
    const auto& points = counts.at("points").as_array();
    REQUIRE(points.size() == 24);
    CHECK(points.at(0).at("anomaly_score").is_null()); // cold start
    CHECK(points.at(20).at("value").to_number<double>() == 40);
    CHECK(points.at(20).at("is_anomaly") == true);
    CHECK(points.at(19).at("is_anomaly") == false);
    CHECK(all.at(4).at("points").as_array().empty()); // no certificate expiry in these scans
    CHECK(client.request("GET", "/v1/assets/nobody/series").status == 404);
  }
  {
    qscan_server server({}, steady_dir.path());
    http_client client(server.port());
    for (int day = 1; day <= 24; ++day) {
      auto a = detect(client, "web-01", day, findings_on(day));
      if (day > 20)
        uninterrupted.push_back(a);
    }
  }
  const auto& jump = after_restart.at(0).as_object();
  CHECK(jump.at("is_anomaly") == true);
  const auto& types = jump.at("anomaly_types").as_array();
  CHECK(std::find(types.begin(), types.end(), json::value("metric_anomaly")) != types.end());
  bool named = false;
  for (const auto& d : jump.at("details").as_array())
    named = named || d.as_string().find("series finding_count: 40 at 2026-01-21T10:00:00") !=
                         json::string::npos;
  CHECK(named);
  for (std::size_t i = 0; i < after_restart.size(); ++i) {
    INFO("day " << 21 + i);
    for (const char* key :
         {"is_anomaly", "anomaly_score", "anomaly_types", "confidence", "details"})
      CHECK(after_restart[i].at(key) == uninterrupted[i].at(key));
  }
}
