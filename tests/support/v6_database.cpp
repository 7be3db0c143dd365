#include "tests/support/v6_database.hpp"

#include <stdexcept>

#include <catch2/catch.hpp>

#include "runtime/storage/migrations.hpp"

namespace qs::test {

using namespace runtime::storage;

namespace {

void run(sql::connection& c, const std::string& statement, const sql::params& values = {}) {
  if (auto done = c.execute(statement, values); !done)
    throw std::runtime_error("cannot run " + statement + ": " + done.error().message);
}

void schema_v6(sql::connection& c) {
  run(c, "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)");
  for (const auto& m : migrations(c.dialect())) {
    if (m.version > 6)
      break;
    for (const auto& statement : m.statements)
      run(c, statement);
    if (m.step)
      if (auto done = m.step(c); !done)
        throw std::runtime_error("migration step failed: " + done.error().message);
    run(c, "INSERT INTO schema_migrations (version, applied_at) VALUES (?1, '2026-12-01T00:00:00')",
        sql::params().integer(m.version));
  }
}

/// As that build's batch writer inserted an entry (empty texts as NULL).
void insert_entry(sql::connection& c, const entry& e) {
  run(c,
      "INSERT INTO entries (asset_id, request_id, operation, scan_timestamp, stored_at,"
      " scan_result, prediction, anomaly) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
      sql::params()
          .text(e.asset_id)
          .text_or_null(e.request_id)
          .text_or_null(e.operation)
          .text_or_null(e.scan_timestamp)
          .text_or_null(e.stored_at)
          .text(e.scan_result)
          .text_or_null(e.prediction)
          .text_or_null(e.anomaly));
}

entry make(const std::string& asset, const std::string& request, const std::string& op, int n) {
  entry e;
  e.asset_id = asset;
  e.request_id = request;
  e.operation = op;
  e.scan_timestamp = "2026-11-25T10:0" + std::to_string(n % 10) + ":00";
  e.stored_at = "2026-12-01T09:00:0" + std::to_string(n % 10) + ".123456+00:00";
  e.scan_result = R"({"asset_id":")" + asset +
                  R"(","asset_type":"web_service","vulnerabilities":[{"type":"weak_crypto",)"
                  R"("severity":"high","algorithm":"RSA-1024","location":"/api/auth"}],)"
                  R"("quantum_risk_score":0.7,"timestamp":")" +
                  e.scan_timestamp + R"(","metadata":{"n":)" + std::to_string(n) + "}}";
  if (op != "detect-anomalies")
    e.prediction = R"({"threat_score":0.83,"threat_types":["quantum_vulnerable_key_exchange"],)"
                   R"("confidence":0.9,"mitigation_steps":["Replace RSA-1024 key exchange with )"
                   R"(ML-KEM-768"],"predicted_at":"2026-12-01T09:00:01.123456"})";
  if (op != "predict" || n % 3 == 0)
    e.anomaly = R"({"is_anomaly":true,"anomaly_score":0.72,"anomaly_types":["deprecated_usage"],)"
                R"("confidence":0.8,"detected_at":"2026-12-01T09:00:01.123456","details":[]})";
  return e;
}

} // namespace

v6_contents write_v6_database(sql::connection& c) {
  schema_v6(c);
  v6_contents out;
  // Three assets over a few requests, interleaved; one entry without a request id,
  // and a train entry without a scan timestamp.
  std::vector<entry> all;
  const char* ops[] = {"predict", "detect-anomalies", "enhance"};
  int n = 0;
  for (int request = 1; request <= 7; ++request) {
    const std::string id = "req-0011223344556677-" + std::to_string(request);
    out.request_ids.push_back(id);
    for (const char* asset : {"web-1", "db-2", "gw-3"})
      if ((request + asset[0]) % 4 != 0)
        all.push_back(make(asset, id, ops[request % 3], ++n));
  }
  all.push_back(make("web-1", "", "predict", ++n));
  all.back().scan_timestamp = "";
  for (std::size_t i = 0; i < all.size(); ++i) {
    insert_entry(c, all[i]);
    all[i].id = static_cast<std::int64_t>(i + 1);
  }
  for (const auto& id : out.request_ids)
    run(c, "INSERT INTO stored_requests (request_id, stored_at) VALUES (?1, ?2)",
        sql::params().text(id).text("2026-12-01T09:00:00.000000+00:00"));
  for (const char* asset : {"web-1", "db-2", "gw-3"}) {
    std::vector<entry> newest_first;
    for (auto it = all.rbegin(); it != all.rend(); ++it)
      if (it->asset_id == asset)
        newest_first.push_back(*it);
    out.histories.emplace_back(asset, std::move(newest_first));
  }
  out.histories.emplace_back("never-seen", std::vector<entry>{});

  // Idempotent answers: one with its fingerprint, one stored before fingerprints.
  idempotent_answer a{"open:key-1", "predict", 200,
                      "{\"predictions\":[" + all[0].prediction +
                          "],\"request_id\":\"req-0011223344556677-1\",\"degraded\":false}",
                      std::string(64, 'a')};
  idempotent_answer b{"key-9:old", "enhance", 200, R"({"original_results":[]})", ""};
  for (const auto& x : {a, b})
    run(c,
        "INSERT INTO idempotent_answers (key, route, status, body, stored_at, fingerprint)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        sql::params()
            .text(x.key)
            .text(x.route)
            .integer(x.status)
            .text(x.body)
            .text("2026-12-01T09:00:00")
            .text(x.fingerprint));
  out.answers = {a, b};

  scan_job job;
  job.id = "scan-1";
  job.status = "running";
  job.request = R"({"targets":["tls://a:443"],"options":{}})";
  job.total = 2;
  job.done = 1;
  job.owner = "key-1";
  job.created_at = "2026-12-01T09:00:00.000000+00:00";
  job.updated_at = "2026-12-01T09:00:05.000000+00:00";
  run(c,
      "INSERT INTO scan_jobs (id, status, request, total, done, error, owner, created_at,"
      " updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
      sql::params()
          .text(job.id)
          .text(job.status)
          .text(job.request)
          .integer(job.total)
          .integer(job.done)
          .text(job.error)
          .text(job.owner)
          .text(job.created_at)
          .text(job.updated_at));
  out.jobs = {job};
  out.job_results = {{0, "tls://a:443", R"({"target":"tls://a:443","assets":[]})"}};
  run(c, "INSERT INTO scan_results (job_id, position, target, result) VALUES (?1, ?2, ?3, ?4)",
      sql::params()
          .text(job.id)
          .integer(out.job_results[0].position)
          .text(out.job_results[0].target)
          .text(out.job_results[0].result));

  out.labelled = {{"web-1", R"({"asset_id":"web-1"})", true, "2026-12-01T09:00:00"},
                  {"db-2", R"({"asset_id":"db-2"})", false, "2026-12-01T09:00:01"}};
  for (const auto& x : out.labelled)
    run(c,
        "INSERT INTO training_examples (asset_id, scan_result, exploited, stored_at)"
        " VALUES (?1, ?2, ?3, ?4)",
        sql::params()
            .text(x.asset_id)
            .text(x.scan_result)
            .integer(*x.exploited ? 1 : 0)
            .text(x.stored_at));
  return out;
}

} // namespace qs::test

namespace qs::test {

namespace {

void check_same(const entry& got, const entry& want) {
  INFO("entry " << want.id);
  CHECK(got.id == want.id);
  CHECK(got.asset_id == want.asset_id);
  CHECK(got.request_id == want.request_id);
  CHECK(got.operation == want.operation);
  CHECK(got.scan_timestamp == want.scan_timestamp);
  CHECK(got.stored_at == want.stored_at);
  CHECK(got.scan_result == want.scan_result);
  CHECK(got.prediction == want.prediction);
  CHECK(got.anomaly == want.anomaly);
}

void check_history(const std::string& asset, const std::vector<entry>& want,
                   runtime::storage::history_store& history) {
  INFO("asset " << asset);
  std::vector<entry> got;
  std::optional<std::string> cursor;
  for (int pages = 0; pages < 50; ++pages) {
    auto page = history.history(asset, 2, cursor);
    REQUIRE(page);
    CHECK(page->total == static_cast<std::int64_t>(want.size()));
    got.insert(got.end(), page->entries.begin(), page->entries.end());
    cursor = page->next;
    if (!cursor)
      break;
  }
  REQUIRE(got.size() == want.size());
  for (std::size_t i = 0; i < want.size(); ++i)
    check_same(got[i], want[i]);
  if (want.size() > 1) { // a cursor handed out before the upgrade pages on
    auto rest = history.history(asset, 100, std::to_string(want[0].id));
    REQUIRE(rest);
    CHECK(rest->entries.size() == want.size() - 1);
  }
  auto latest = history.latest(asset);
  REQUIRE(latest);
  const entry* newest = nullptr;
  for (const auto& e : want)
    if (!newest && !e.scan_result.empty())
      newest = &e;
  REQUIRE(latest->has_value() == (newest != nullptr));
  if (newest)
    check_same(**latest, *newest);
  std::vector<std::string> judged;
  for (auto e = want.rbegin(); e != want.rend(); ++e)
    if (!e->scan_result.empty() && !e->anomaly.empty())
      judged.push_back(e->scan_result);
  auto scans = history.judged_scans({asset}, 100);
  REQUIRE(scans);
  CHECK(*scans == std::vector<std::vector<std::string>>{judged});
}

} // namespace

void check_carried_forward(const v6_contents& was, const stores& stores, batch_writer& writer) {
  for (const auto& [asset, entries] : was.histories)
    check_history(asset, entries, *stores.history);
  for (const auto& want : was.answers) {
    auto got = stores.answers->find_answer(want.key);
    REQUIRE(got);
    REQUIRE(got->has_value());
    CHECK((*got)->key == want.key);
    CHECK((*got)->route == want.route);
    CHECK((*got)->status == want.status);
    CHECK((*got)->body == want.body);
    CHECK((*got)->fingerprint == want.fingerprint);
  }
  const auto& want_job = was.jobs.front();
  auto job = stores.scan_jobs->find_scan_job(want_job.id);
  REQUIRE(job);
  REQUIRE(job->has_value());
  CHECK((*job)->status == want_job.status);
  CHECK((*job)->request == want_job.request);
  CHECK((*job)->total == want_job.total);
  CHECK((*job)->done == want_job.done);
  CHECK((*job)->owner == want_job.owner);
  CHECK((*job)->created_at == want_job.created_at);
  CHECK((*job)->updated_at == want_job.updated_at);
  auto results = stores.scan_jobs->scan_results(want_job.id, -1, 10);
  REQUIRE(results);
  REQUIRE(results->size() == was.job_results.size());
  CHECK((*results)[0].target == was.job_results[0].target);
  CHECK((*results)[0].result == was.job_results[0].result);
  CHECK(stores.scan_jobs->unfinished_scan_jobs()->size() == 1);
  auto labelled = stores.models->labelled_examples(10);
  REQUIRE(labelled);
  REQUIRE(labelled->size() == was.labelled.size());
  for (std::size_t i = 0; i < was.labelled.size(); ++i) {
    CHECK((*labelled)[i].asset_id == was.labelled[i].asset_id);
    CHECK((*labelled)[i].scan_result == was.labelled[i].scan_result);
    CHECK((*labelled)[i].exploited == was.labelled[i].exploited);
  }

  // Migration 8 listed every asset with its entries (its latest standing from them).
  auto listed = stores.estate->list_assets({});
  REQUIRE(listed);
  CHECK(listed->total == static_cast<std::int64_t>(was.histories.size()) - 1); // not never-seen
  for (const auto& [asset, entries] : was.histories) {
    if (entries.empty())
      continue;
    asset_query q;
    q.search = asset;
    auto found = stores.estate->list_assets(q);
    REQUIRE(found);
    REQUIRE_FALSE(found->assets.empty());
    CHECK(found->assets.front().entries == static_cast<std::int64_t>(entries.size()));
    CHECK(found->assets.front().last_entry == entries.front().id);
  }

  // Writing goes on: a request stored before counts once; a new one comes last.
  const auto& [asset, entries] = was.histories.front();
  write_batch again;
  again.request_id = was.request_ids.front();
  again.entries.push_back(entries.front());
  REQUIRE(writer.write(again));
  CHECK(stores.history->history(asset, 1, std::nullopt)->total ==
        static_cast<std::int64_t>(entries.size()));
  write_batch fresh = again;
  fresh.request_id = "req-after-upgrade";
  fresh.entries[0].request_id = fresh.request_id;
  REQUIRE(writer.write(fresh));
  auto page = stores.history->history(asset, 1, std::nullopt);
  REQUIRE(page);
  CHECK(page->total == static_cast<std::int64_t>(entries.size()) + 1);
  REQUIRE(page->entries.size() == 1);
  CHECK(page->entries[0].id > entries.front().id);
  CHECK(page->entries[0].request_id == "req-after-upgrade");
  CHECK(page->entries[0].scan_result == entries.front().scan_result);
}

} // namespace qs::test
