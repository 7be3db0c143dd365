#include "tests/support/storage_contract_estate.hpp"

#include <catch2/catch.hpp>

namespace qs::test {

using namespace runtime::storage;

namespace {

/// An entry of a scanned TLS endpoint: `findings` RSA findings (quantum-vulnerable),
/// a post-quantum group when `pq`, answered with `threat` and `anomalous`.
entry scanned_entry(const std::string& asset, int n, int findings, bool pq, double threat,
                    std::optional<bool> anomalous) {
  entry e = make_entry(asset, n);
  std::string vulns;
  for (int i = 0; i < findings; ++i)
    vulns += std::string(i ? "," : "") +
             R"({"type":"quantum_vulnerable","algorithm":"RSA-2048","title":"t)" +
             std::to_string(i) + R"(","location":"l"})";
  if (pq)
    vulns += std::string(findings ? "," : "") +
             R"({"type":"quantum_safe","algorithm":"X25519MLKEM768","rule":"QS-KEX-POST-QUANTUM"})";
  e.scan_result = R"({"asset_id":")" + asset + R"(","asset_type":"tls_endpoint",)" +
                  R"("quantum_risk_score":0.5,"vulnerabilities":[)" + vulns +
                  R"(],"metadata":{"source":"qscan scanner","scan_job":"scan-9","kind":"tls",)" +
                  R"("certificate_not_after":"2000-01-01T00:00:00Z"}})";
  e.prediction =
      R"({"threat_score":)" + std::to_string(threat) +
      R"(,"findings":[{"exploit_probability":0.25,"known_exploited":true,"cve_id":"CVE-1"}]})";
  if (anomalous)
    e.anomaly = std::string(R"({"is_anomaly":)") + (*anomalous ? "true" : "false") + "}";
  else
    e.anomaly.clear();
  return e;
}

} // namespace

void estate_of_assets(storage_backend& b) {
  write_batch first;
  first.entries = {scanned_entry("tls://b:1", 1, 2, false, 0.0, false),
                   scanned_entry("tls://A:2", 2, 0, true, 1.0, true)};
  REQUIRE(b.writer->write(first));
  write_batch later; // b again, without an anomaly verdict: the earlier one stands
  later.entries = {scanned_entry("tls://b:1", 3, 1, true, 0.5, std::nullopt)};
  REQUIRE(b.writer->write(later));
  auto& estate = *b.stores.estate;

  asset_query q;
  auto all = estate.list_assets(q);
  REQUIRE(all);
  CHECK(all->total == 2);
  REQUIRE(all->assets.size() == 2);
  const auto& top = all->assets[0]; // risk 0.4 * 0.5 + 0.4 * 1 + 0.2 * 1 = 0.8
  CHECK(top.asset_id == "tls://A:2");
  CHECK(top.risk == Approx(0.8));
  const auto& other = all->assets[1]; // 0.4 * 0.5 + 0.4 * 0.5 + 0 = 0.4
  CHECK(other.asset_id == "tls://b:1");
  CHECK(other.risk == Approx(0.4));
  CHECK(other.entries == 2);
  CHECK(other.summary.findings == 1);
  CHECK(other.summary.is_anomaly == std::optional<bool>(false));
  CHECK(other.summary.threat_score == std::optional<double>(0.5));
  CHECK(other.summary.post_quantum == std::optional<bool>(true));
  CHECK(other.summary.scan_job == "scan-9");
  CHECK(other.summary.top_probability == std::optional<double>(0.25));
  CHECK(other.summary.top_cve == "CVE-1");
  CHECK(other.summary.top_known_exploited);

  q.sort = asset_query::order_by::asset_id;
  q.descending = false;
  q.search = "TLS://";
  auto by_name = estate.list_assets(q);
  REQUIRE(by_name);
  REQUIRE(by_name->assets.size() == 2);
  CHECK(by_name->assets[0].asset_id == "tls://A:2");
  q.search = "b:";
  q.limit = 1;
  auto searched = estate.list_assets(q);
  REQUIRE(searched);
  CHECK(searched->total == 1);
  q.search = "%";
  CHECK(estate.list_assets(q)->total == 0); // a wildcard is a character like any other
  q = asset_query();
  q.risk_level = "CRITICAL";
  auto critical = estate.list_assets(q);
  REQUIRE(critical);
  REQUIRE(critical->total == 1);
  CHECK(critical->assets[0].asset_id == "tls://A:2");
  q.risk_level = "SEVERE";
  CHECK(estate.list_assets(q).error() == errc::invalid_argument);
  q = asset_query();
  q.offset = 1;
  auto second_page = estate.list_assets(q);
  REQUIRE(second_page);
  REQUIRE(second_page->assets.size() == 1);
  CHECK(second_page->assets[0].asset_id == "tls://b:1");

  auto overview = estate.overview("2100-01-01T00:00:00Z", 10);
  REQUIRE(overview);
  CHECK(overview->assets == 2);
  CHECK(overview->by_risk_level.size() == 5);
  CHECK(overview->by_risk_level[0].name == "CRITICAL");
  CHECK(overview->by_risk_level[0].count == 1);
  CHECK(overview->by_risk_level[2].count == 1); // MEDIUM
  CHECK(overview->tls_endpoints == 2);
  CHECK(overview->tls_with_post_quantum == 2);
  REQUIRE(overview->vulnerable_algorithms.size() == 1);
  CHECK(overview->vulnerable_algorithms[0].name == "RSA-2048");
  CHECK(overview->vulnerable_algorithms[0].count == 1);
  CHECK(overview->certificates_expiring.size() == 2);
  CHECK(overview->most_likely_exploited.size() == 2);
  CHECK(estate.overview("1999-01-01T00:00:00Z", 10)->certificates_expiring.empty());
}

void entries_by_id(storage_backend& b) {
  REQUIRE(b.writer->write(make_batch("host-a", 1, 2)));
  REQUIRE(b.writer->write(make_batch("host-b", 3, 1)));
  auto page = b.stores.history->history("host-a", 10, std::nullopt);
  REQUIRE(page);
  const auto id = page->entries.back().id;
  auto found = b.stores.history->find_entry("host-a", id);
  REQUIRE(found);
  REQUIRE(found->has_value());
  CHECK((*found)->scan_result == page->entries.back().scan_result);
  CHECK(!b.stores.history->find_entry("host-b", id)->has_value()); // another asset's
  CHECK(!b.stores.history->find_entry("host-a", id + 100)->has_value());
}

void scan_job_list(storage_backend& b) {
  auto& db = *b.stores.scan_jobs;
  for (int i = 1; i <= 3; ++i) {
    scan_job job;
    job.id = "scan-" + std::to_string(i);
    job.request = "{}";
    job.total = 1;
    job.created_at = "2024-05-01T12:00:0" + std::to_string(i) + "Z";
    REQUIRE(db.create_scan_job(job));
  }
  REQUIRE(db.finish_scan_job("scan-2", "done", ""));
  auto all = db.list_scan_jobs(0, 10, "");
  REQUIRE(all);
  CHECK(all->total == 3);
  REQUIRE(all->jobs.size() == 3);
  CHECK(all->jobs[0].id == "scan-3"); // newest first
  auto page = db.list_scan_jobs(1, 1, "");
  REQUIRE(page);
  REQUIRE(page->jobs.size() == 1);
  CHECK(page->jobs[0].id == "scan-2");
  auto done = db.list_scan_jobs(0, 10, "done");
  REQUIRE(done);
  CHECK(done->total == 1);
  CHECK(db.list_scan_jobs(0, 0, "").error() == errc::invalid_argument);
}

void schedules(storage_backend& b) {
  auto& db = *b.stores.scan_jobs;
  schedule s{"sch-1",
             "nightly",
             R"({"targets":["tls://a:1"],"every":"1d"})",
             "key-1",
             "2024-05-01T10:00:00Z",
             1000,
             "",
             ""};
  REQUIRE(db.create_schedule(s));
  s.name = "changed";
  REQUIRE(db.create_schedule(s)); // a second create is a no-op
  auto found = db.find_schedule("sch-1");
  REQUIRE(found);
  REQUIRE(found->has_value());
  CHECK((*found)->name == "nightly");
  CHECK((*found)->next_run == 1000);
  REQUIRE(db.list_schedules()->size() == 1);

  scan_job run;
  run.id = "scan-run-1";
  run.request = "{}";
  run.total = 1;
  auto claimed = db.claim_schedule_run("sch-1", 1000, 2000, run);
  REQUIRE(claimed);
  CHECK(*claimed);
  CHECK((*db.find_schedule("sch-1"))->next_run == 2000);
  CHECK((*db.find_schedule("sch-1"))->last_scan == "scan-run-1");
  CHECK(db.find_scan_job("scan-run-1")->has_value());
  // The same run claimed again (another coordinator, a retry): nothing is written.
  run.id = "scan-run-2";
  CHECK_FALSE(*db.claim_schedule_run("sch-1", 1000, 3000, run));
  CHECK_FALSE(db.find_scan_job("scan-run-2")->has_value());
  CHECK((*db.find_schedule("sch-1"))->next_run == 2000);
  // A skipped run moves the next one on and keeps the latest run.
  CHECK(*db.claim_schedule_run("sch-1", 2000, 3000, std::nullopt));
  CHECK((*db.find_schedule("sch-1"))->last_scan == "scan-run-1");
  CHECK(*db.delete_schedule("sch-1"));
  CHECK_FALSE(*db.delete_schedule("sch-1"));
  CHECK_FALSE(db.find_schedule("sch-1")->has_value());
  CHECK_FALSE(*db.claim_schedule_run("sch-1", 3000, 4000, run));
  CHECK(db.find_scan_job("scan-run-1")->has_value()); // its past runs stay
}

} // namespace qs::test
