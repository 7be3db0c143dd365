// Scheduled scans in a real cluster, through a coordinator SIGKILLed and restarted:
// every run is an ordinary scan job that finishes; runs never come closer together
// than their interval allows (a run is never doubled, and the runs missed while no
// coordinator was up are made up once); a run still going when the next is due is
// not started twice (no two runs of a slow schedule overlap); a deleted schedule
// starts no more runs.
#include <catch2/catch.hpp>

#include <csignal>
#include <ctime>
#include <iomanip>
#include <sstream>
#include <thread>

#include "tests/scan/lab.hpp"
#include "tests/scan/scan_api.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/qscan_cluster.hpp"
#include "tests/support/wait.hpp"

using namespace qs::test;
namespace json = boost::json;

namespace {

/// Seconds since the epoch of "2026-12-07T00:54:19.817161+00:00".
double seconds_of(const json::value& text) {
  const std::string s(text.as_string());
  std::tm t{};
  std::istringstream in(s);
  in >> std::get_time(&t, "%Y-%m-%dT%H:%M:%S");
  double fraction = 0;
  if (s.size() > 19 && s[19] == '.')
    fraction = std::stod("0" + s.substr(19, 7));
  return static_cast<double>(timegm(&t)) + fraction;
}

/// The runs of `schedule` (jobs listed with it), oldest first; none while the list
/// cannot be read (a coordinator on its way back answers 503).
std::vector<json::object> runs_of(http_client& client, const std::string& schedule) {
  auto r = client.request("GET", "/v1/scans?limit=500");
  if (r.status != 200)
    return {};
  std::vector<json::object> runs;
  const auto listed = r.json();
  for (const auto& job : listed.at("scans").as_array())
    if (job.at("schedule") == schedule.c_str())
      runs.insert(runs.begin(), job.as_object());
  return runs;
}

std::string make_schedule(http_client& client, const std::string& body) {
  auto made = client.request("POST", "/v1/schedules", body, json_type);
  INFO(made.body);
  REQUIRE(made.status == 201);
  return std::string(made.json().at("id").as_string());
}

} // namespace

TEST_CASE("scheduled scans run once a period through a coordinator SIGKILL; missed runs are "
          "made up once; a run still going is not started twice",
          "[scan][cluster][fault][schedule]") {
  cluster_options options;
  options.workers = 1;
  qscan_cluster cluster(options);
  cluster.start_worker("scanner", {"--scan-workers", "2"}, true, true, "scanner");
  http_client client(cluster.bridge_port());

  std::string tls;
  for (const auto& [name, url] : lab_targets())
    if (url.rfind("tls://", 0) == 0 && tls.empty())
      tls = url;
  REQUIRE(!tls.empty());
  const auto quick = make_schedule(client, R"({"targets":[")" + tls + R"("],"every":"3s"})");
  // Each run of this one lasts longer than its interval: a silent endpoint's probes
  // each wait 2.5 s for their timeout.
  silent_port silent;
  const auto slow = make_schedule(client, R"({"targets":[")" + silent.target() +
                                              R"("],"every":"1s","options":{"timeout_ms":2500}})");

  REQUIRE(wait_until([&] { return runs_of(client, quick).size() >= 2; }, std::chrono::seconds(60)));
  cluster.kill_coordinator();
  const double killed = static_cast<double>(std::time(nullptr));
  std::this_thread::sleep_for(std::chrono::seconds(8)); // more than two periods missed
  cluster.restart_coordinator();
  REQUIRE(wait_until(
      [&] {
        auto runs = runs_of(client, quick);
        return runs.size() >= 2 && seconds_of(runs.back().at("created_at")) > killed + 8 &&
               seconds_of(runs[runs.size() - 2].at("created_at")) > killed + 8;
      },
      std::chrono::seconds(60)));

  // Both schedules stop; what they ran finishes.
  for (const auto& id : {quick, slow})
    CHECK(client.request("DELETE", "/v1/schedules/" + id).status == 204);
  std::this_thread::sleep_for(std::chrono::seconds(2)); // a tick that would start one more
  const auto quick_runs = runs_of(client, quick);
  const auto slow_runs = runs_of(client, slow);
  REQUIRE(client.request("GET", "/v1/scans").status == 200);
  for (const auto& run : quick_runs)
    CHECK(wait_for_job(client, std::string(run.at("id").as_string())).at("status") == "done");

  // Runs start at least an interval (less the clock's one-second grain) apart: none
  // doubled, the missed ones made up once, none started while the coordinator was down.
  INFO("quick runs: " << json::serialize(json::value_from(quick_runs)));
  REQUIRE(quick_runs.size() >= 4);
  for (std::size_t i = 1; i < quick_runs.size(); ++i) {
    const double gap =
        seconds_of(quick_runs[i].at("created_at")) - seconds_of(quick_runs[i - 1].at("created_at"));
    CHECK(gap >= 1.9);
  }
  std::size_t during_outage = 0;
  for (const auto& run : quick_runs) {
    const double at = seconds_of(run.at("created_at"));
    during_outage += at > killed + 1 && at < killed + 8;
  }
  CHECK(during_outage == 0);

  // The slow schedule's runs never overlap: each began after the one before ended,
  // though runs fell due while it was going.
  INFO("slow runs: " << json::serialize(json::value_from(slow_runs)));
  REQUIRE(!slow_runs.empty());
  const auto first = wait_for_job(client, std::string(slow_runs[0].at("id").as_string()));
  CHECK(seconds_of(first.at("updated_at")) - seconds_of(first.at("created_at")) > 2);
  for (std::size_t i = 1; i < slow_runs.size(); ++i) {
    const auto before = wait_for_job(client, std::string(slow_runs[i - 1].at("id").as_string()));
    CHECK(seconds_of(slow_runs[i].at("created_at")) >= seconds_of(before.at("updated_at")));
  }

  // Deleted: no run starts any more.
  std::this_thread::sleep_for(std::chrono::seconds(4));
  CHECK(runs_of(client, quick).size() == quick_runs.size());
  CHECK(client.request("GET", "/v1/schedules/" + quick).status == 404);
}
