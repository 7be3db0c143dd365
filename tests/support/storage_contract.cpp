#include "tests/support/storage_contract.hpp"

#include <atomic>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "tests/support/storage_contract_estate.hpp"

namespace qs::test {

using namespace runtime::storage;

entry make_entry(const std::string& asset, int n) {
  entry e;
  e.asset_id = asset;
  e.request_id = "req-" + std::to_string(n);
  e.operation = "predict";
  e.scan_timestamp = "2024-05-01T12:00:00Z";
  e.stored_at = "2024-05-01T12:00:01Z";
  e.scan_result = "{\"n\":" + std::to_string(n) + "}";
  e.prediction = "{\"risk\":0.5}";
  return e;
}

write_batch make_batch(const std::string& asset, int first, int count) {
  write_batch batch;
  for (int i = 0; i < count; ++i)
    batch.entries.push_back(make_entry(asset, first + i));
  return batch;
}

namespace {

write_batch batch_with_key(const std::string& key, const std::string& asset, int first) {
  auto batch = make_batch(asset, first, 2);
  batch.answer = idempotent_answer{key, "/predict", 200, "{\"ok\":true}", "fp-" + key};
  return batch;
}

std::int64_t total(history_store& h, const std::string& asset) {
  auto page = h.history(asset, 10, std::nullopt);
  REQUIRE(page);
  return page->total;
}

void history_pages(storage_backend& b) {
  REQUIRE(b.writer->write(make_batch("asset-1", 1, 5)));
  REQUIRE(b.writer->write(make_batch("other", 100, 2)));
  REQUIRE(b.writer->write(make_batch("asset-1", 6, 2)));
  std::vector<std::string> seen;
  std::optional<std::string> cursor;
  int pages = 0;
  do {
    auto page = b.stores.history->history("asset-1", 3, cursor);
    REQUIRE(page);
    CHECK(page->total == 7);
    for (const auto& e : page->entries) {
      CHECK(e.asset_id == "asset-1");
      seen.push_back(e.scan_result);
    }
    cursor = page->next;
    ++pages;
  } while (cursor && pages < 10);
  CHECK(pages == 3);
  REQUIRE(seen.size() == 7);
  CHECK(seen.front() == "{\"n\":7}");
  CHECK(seen.back() == "{\"n\":1}");
}

void last_page(storage_backend& b) {
  REQUIRE(b.writer->write(make_batch("asset-1", 1, 3)));
  auto page = b.stores.history->history("asset-1", 3, std::nullopt);
  REQUIRE(page);
  CHECK(page->entries.size() == 3);
  CHECK_FALSE(page->next);
  auto empty = b.stores.history->history("nobody", 3, std::nullopt);
  REQUIRE(empty);
  CHECK(empty->entries.empty());
  CHECK(empty->total == 0);
  CHECK_FALSE(empty->next);
}

void every_field(storage_backend& b) {
  auto batch = make_batch("asset-1", 1, 1);
  batch.entries[0].anomaly = "";
  REQUIRE(b.writer->write(batch));
  auto page = b.stores.history->history("asset-1", 1, std::nullopt);
  REQUIRE(page);
  REQUIRE(page->entries.size() == 1);
  const auto& stored = page->entries[0];
  const auto& sent = batch.entries[0];
  CHECK(stored.id > 0);
  CHECK(stored.asset_id == sent.asset_id);
  CHECK(stored.request_id == sent.request_id);
  CHECK(stored.operation == sent.operation);
  CHECK(stored.scan_timestamp == sent.scan_timestamp);
  CHECK(stored.stored_at == sent.stored_at);
  CHECK(stored.scan_result == sent.scan_result);
  CHECK(stored.prediction == sent.prediction);
  CHECK(stored.anomaly.empty());
}

void bad_cursor_and_limit(storage_backend& b) {
  for (const std::string bad : {"", "abc", "-5", "0", "12x", "99999999999999999999999"}) {
    auto page = b.stores.history->history("asset-1", 10, bad);
    REQUIRE_FALSE(page);
    CHECK(page.error() == errc::invalid_argument);
  }
  auto none = b.stores.history->history("asset-1", 0, std::nullopt);
  REQUIRE_FALSE(none);
  CHECK(none.error() == errc::invalid_argument);
}

void key_stored_skips_batch(storage_backend& b) {
  REQUIRE(b.writer->write(batch_with_key("key-1", "asset-1", 1)));
  REQUIRE(b.writer->write(batch_with_key("key-1", "asset-1", 10))); // not an error
  auto page = b.stores.history->history("asset-1", 100, std::nullopt);
  REQUIRE(page);
  CHECK(page->total == 2);
  REQUIRE(page->entries.size() == 2);
  CHECK(page->entries[0].scan_result == "{\"n\":2}");
  CHECK(page->entries[1].scan_result == "{\"n\":1}");
  auto answer = b.stores.answers->find_answer("key-1");
  REQUIRE(answer);
  REQUIRE(answer->has_value());
  CHECK((*answer)->key == "key-1");
  CHECK((*answer)->route == "/predict");
  CHECK((*answer)->status == 200);
  CHECK((*answer)->body == "{\"ok\":true}");
  CHECK((*answer)->fingerprint == "fp-key-1");
  auto missing = b.stores.answers->find_answer("never-used");
  REQUIRE(missing);
  CHECK_FALSE(missing->has_value());
}

void answer_repeating_its_entries(storage_backend& b) {
  // A body as the answer builders write it: the entries' answers (and, for
  // enhance, their scan results) copied in, in order, between text of its own.
  auto batch = make_batch("asset-1", 1, 3);
  batch.request_id = "req-answer";
  for (std::size_t i = 0; i < batch.entries.size(); ++i) {
    auto& e = batch.entries[i];
    e.request_id = batch.request_id;
    e.prediction = R"({"threat_score":0.)" + std::to_string(i + 1) +
                   R"(,"threat_types":["weak_key_size"],"mitigation_steps":[]})";
    e.anomaly = R"({"is_anomaly":false,"anomaly_score":0.0,"n":)" + std::to_string(i) + "}";
  }
  batch.entries[1].operation = "enhance"; // differs from the batch's first entry
  std::string body = R"({"original_results":[)";
  for (const auto& e : batch.entries)
    body += e.scan_result + (&e == &batch.entries.back() ? "" : ",");
  body += R"(],"ai_predictions":[)";
  for (const auto& e : batch.entries)
    body += e.prediction + (&e == &batch.entries.back() ? "" : ",");
  body += R"(],"anomaly_detections":[)" + batch.entries[2].anomaly + "," +
          batch.entries[0].anomaly + R"(],"request_id":"req-answer","degraded":false})";
  batch.answer = idempotent_answer{"open:k-template", "enhance", 200, body, "fp"};
  REQUIRE(b.writer->write(batch));
  auto answer = b.stores.answers->find_answer("open:k-template");
  REQUIRE(answer);
  REQUIRE(answer->has_value());
  CHECK((*answer)->body == body);
  CHECK((*answer)->route == "enhance");
  CHECK((*answer)->fingerprint == "fp");
  auto page = b.stores.history->history("asset-1", 10, std::nullopt);
  REQUIRE(page);
  REQUIRE(page->entries.size() == 3);
  CHECK(page->entries[1].operation == "enhance");
  CHECK(page->entries[0].operation == "predict");
  CHECK(page->entries[2].request_id == "req-answer");
  CHECK(page->entries[0].anomaly == batch.entries[2].anomaly);
}

void one_key_in_one_group(storage_backend& b) {
  auto first = batch_with_key("key-2", "asset-1", 20);
  auto second = batch_with_key("key-2", "asset-1", 30);
  REQUIRE(b.writer->write_many({&first, &second}));
  auto page = b.stores.history->history("asset-1", 100, std::nullopt);
  REQUIRE(page);
  REQUIRE(page->entries.size() == 2);
  CHECK(page->entries[0].scan_result == "{\"n\":21}");
  CHECK(page->entries[1].scan_result == "{\"n\":20}");
}

void request_id_stored_skips_batch(storage_backend& b) {
  auto first = make_batch("dup-asset", 1, 2);
  first.request_id = "req-1";
  auto again = make_batch("dup-asset", 10, 2);
  again.request_id = "req-1";
  auto other = make_batch("dup-asset", 20, 1);
  other.request_id = "req-2";
  REQUIRE(b.writer->write(first));
  REQUIRE(b.writer->write_many({&again, &other}));
  CHECK(total(*b.stores.history, "dup-asset") == 3);
}

void latest_entry(storage_backend& b) {
  auto none = b.stores.history->latest("asset-1");
  REQUIRE(none);
  CHECK_FALSE(none->has_value());
  REQUIRE(b.writer->write(make_batch("asset-1", 1, 3)));
  REQUIRE(b.writer->write(make_batch("asset-2", 50, 1)));
  auto latest = b.stores.history->latest("asset-1");
  REQUIRE(latest);
  REQUIRE(latest->has_value());
  CHECK((*latest)->scan_result == "{\"n\":3}");
}

void judged_scans(storage_backend& b) {
  auto batch = make_batch("asset-1", 1, 4);
  batch.entries[1].anomaly = "{\"is_anomaly\":false}"; // n=2
  batch.entries[2].anomaly = "{\"is_anomaly\":true}";  // n=3
  batch.entries[3].anomaly = "{\"is_anomaly\":false}"; // n=4
  REQUIRE(b.writer->write(batch));
  using lists = std::vector<std::vector<std::string>>;
  auto all = b.stores.history->judged_scans({"asset-1", "nobody", "asset-1"}, 100);
  REQUIRE(all);
  const std::vector<std::string> judged{"{\"n\":2}", "{\"n\":3}", "{\"n\":4}"};
  CHECK(*all == lists{judged, {}, judged});
  auto newest = b.stores.history->judged_scans({"asset-1"}, 2);
  REQUIRE(newest);
  CHECK(*newest == lists{{"{\"n\":3}", "{\"n\":4}"}});
  CHECK(b.stores.history->judged_scans({}, 10)->empty());
}

void training_counts_with_labels(storage_backend& b) {
  write_batch batch;
  for (std::optional<bool> label : {std::optional<bool>(true), std::optional<bool>(true),
                                    std::optional<bool>(false), std::optional<bool>()})
    batch.examples.push_back(training_example{"asset-1", "{}", label, ""});
  REQUIRE(b.writer->write(batch));
  auto counts = b.stores.models->count_training();
  REQUIRE(counts);
  CHECK(counts->examples == 4);
  CHECK(counts->labelled == 3);
  CHECK(counts->positives == 2);
}

void failed_group_stores_nothing(storage_backend& b) {
  b.refuse_asset("poison");
  auto good = make_batch("asset-1", 1, 2);
  auto bad = make_batch("poison", 3, 1);
  auto outcome = b.writer->write_many({&good, &bad});
  REQUIRE_FALSE(outcome);
  CHECK(outcome.error() == errc::unavailable);
  CHECK_THAT(outcome.error().message, Catch::Contains("poisoned"));
  CHECK(total(*b.stores.history, "asset-1") == 0);
  REQUIRE(b.writer->write(good)); // the connection is usable again
  CHECK(total(*b.stores.history, "asset-1") == 2);
}

void consistent_pages_during_writes(storage_backend& b) {
  std::atomic<bool> writing{true};
  std::atomic<int> failed_writes{0};
  std::thread writer([&] {
    for (int i = 0; i < 100; ++i)
      if (!b.writer->write(make_batch("asset-1", i * 5, 5)))
        ++failed_writes;
    writing = false;
  });
  std::int64_t last_total = 0;
  int reads = 0, torn = 0, shrunk = 0;
  while (writing || reads == 0) {
    auto page = b.stores.history->history("asset-1", 10, std::nullopt);
    REQUIRE(page);
    shrunk += page->total < last_total;
    torn +=
        page->total % 5 != 0 ||
        page->entries.size() != static_cast<std::size_t>(std::min<std::int64_t>(10, page->total));
    last_total = page->total;
    ++reads;
  }
  writer.join();
  CHECK(failed_writes == 0);
  CHECK(torn == 0); // never half a batch, and the page agrees with the total
  CHECK(shrunk == 0);
  CHECK(total(*b.stores.history, "asset-1") == 500);
}

void scan_jobs(storage_backend& b) {
  auto& db = *b.stores.scan_jobs;
  scan_job job;
  job.id = "scan-1";
  job.request = R"({"targets":["tls://a:1","file:///x"]})";
  job.total = 2;
  job.owner = "key-1";
  REQUIRE(db.create_scan_job(job));
  job.request = "changed";
  REQUIRE(db.create_scan_job(job)); // a second create is a no-op
  auto found = db.find_scan_job("scan-1");
  REQUIRE(found);
  REQUIRE(found->has_value());
  CHECK((*found)->status == "queued");
  CHECK((*found)->request == R"({"targets":["tls://a:1","file:///x"]})");
  CHECK((*found)->total == 2);
  CHECK((*found)->done == 0);
  CHECK((*found)->owner == "key-1");
  CHECK_FALSE((*found)->created_at.empty());
  // A folder target has several results; done counts targets, a repeat changes nothing.
  const std::int64_t second = std::int64_t{1} << 20;
  REQUIRE(db.store_scan_results("scan-1", {{second, "file:///x/a.pem", "{\"a\":1}"},
                                           {second + 1, "file:///x/b.pem", "{\"b\":1}"}}));
  REQUIRE(db.store_scan_results("scan-1", {{second, "file:///x/a.pem", "{\"changed\":1}"}}));
  found = db.find_scan_job("scan-1");
  CHECK((*found)->status == "running");
  CHECK((*found)->done == 1);
  REQUIRE(db.store_scan_results("scan-1", {{0, "tls://a:1", "{\"t\":1}"}}));
  auto all = db.scan_results("scan-1", -1, 10);
  REQUIRE(all);
  REQUIRE(all->size() == 3);
  CHECK((*all)[0].target == "tls://a:1");
  CHECK((*all)[1].result == "{\"a\":1}");
  auto page = db.scan_results("scan-1", (*all)[0].position, 1);
  REQUIRE(page);
  REQUIRE(page->size() == 1);
  CHECK((*page)[0].target == "file:///x/a.pem");
  auto unfinished = db.unfinished_scan_jobs();
  REQUIRE(unfinished);
  REQUIRE(unfinished->size() == 1);
  CHECK(unfinished->front().done == 2);
  REQUIRE(db.finish_scan_job("scan-1", "failed", "the scanner went away"));
  CHECK(db.unfinished_scan_jobs()->empty());
  CHECK((*db.find_scan_job("scan-1"))->status == "failed");
  CHECK((*db.find_scan_job("scan-1"))->error == "the scanner went away");
  CHECK(!db.find_scan_job("nope")->has_value());
}

void models_and_examples(storage_backend& b) {
  auto& db = *b.stores.models;
  auto none = db.latest_model("threat_predictor");
  REQUIRE(none);
  CHECK_FALSE(none->has_value());
  // Model bytes are binary (gzip): NUL and high bytes survive.
  const std::string bytes("\x1f\x8b\x00\xff model \x00 bytes", 18);
  REQUIRE(db.store_model({"xgb-1", "threat_predictor", "2026-12-01T10:00:00.000000+00:00",
                          R"({"validation":{"auc":0.88}})", bytes}));
  REQUIRE(db.store_model({"xgb-2", "threat_predictor", "2026-12-02T10:00:00.000000+00:00",
                          R"({"validation":{"auc":0.89}})", bytes + "2"}));
  // A version stored again is a no-op.
  REQUIRE(db.store_model(
      {"xgb-1", "threat_predictor", "2026-12-03T10:00:00.000000+00:00", "{}", "other"}));
  auto latest = db.latest_model("threat_predictor");
  REQUIRE(latest);
  REQUIRE(latest->has_value());
  CHECK((*latest)->version == "xgb-2");
  CHECK((*latest)->model == bytes + "2");
  CHECK((*latest)->metrics == R"({"validation":{"auc":0.89}})");
  auto list = db.list_models("threat_predictor");
  REQUIRE(list);
  REQUIRE(list->size() == 2);
  CHECK((*list)[0].version == "xgb-2");
  CHECK((*list)[1].version == "xgb-1");
  CHECK((*list)[1].model.empty()); // listed without their bytes
  CHECK(db.list_models("anomaly_detector")->empty());

  write_batch batch;
  batch.request_id = "req-train-1";
  batch.examples = {{"a", R"({"asset_id":"a"})", true, "2026-12-01T10:00:00"},
                    {"b", R"({"asset_id":"b"})", std::nullopt, "2026-12-01T10:00:01"},
                    {"c", R"({"asset_id":"c"})", false, "2026-12-01T10:00:02"}};
  REQUIRE(b.writer->write(batch));
  auto labelled = db.labelled_examples(10);
  REQUIRE(labelled);
  REQUIRE(labelled->size() == 2);
  CHECK((*labelled)[0].asset_id == "a");
  CHECK((*labelled)[0].scan_result == R"({"asset_id":"a"})");
  CHECK((*labelled)[0].exploited == true);
  CHECK((*labelled)[0].stored_at == "2026-12-01T10:00:00");
  CHECK((*labelled)[1].asset_id == "c");
  CHECK((*labelled)[1].exploited == false);
  CHECK(db.labelled_examples(1)->size() == 1);
}

struct contract_case {
  const char* name;
  void (*check)(storage_backend&);
};

const contract_case cases[] = {
    {"history pages run newest first and the cursor leads to the end", history_pages},
    {"a page that reaches the last entry has no next cursor", last_page},
    {"stored entries read back with every field", every_field},
    {"a cursor storage did not hand out, or a limit of 0, is invalid_argument",
     bad_cursor_and_limit},
    {"a batch whose idempotency key is already stored is skipped whole", key_stored_skips_batch},
    {"an idempotent answer that repeats its entries' answers reads back byte for byte",
     answer_repeating_its_entries},
    {"two batches with one idempotency key in one group store the first only",
     one_key_in_one_group},
    {"a batch whose request id is already stored is skipped, so a request counts once",
     request_id_stored_skips_batch},
    {"latest returns the newest entry of an asset", latest_entry},
    {"judged scans are the scans with an anomaly answer, the newest ones, oldest first",
     judged_scans},
    {"training examples are counted with their labels", training_counts_with_labels},
    {"a failed group stores none of its batches", failed_group_stores_nothing},
    {"a reader sees whole batches while a writer commits", consistent_pages_during_writes},
    {"scan jobs are created once, their results stored once and counted by target", scan_jobs},
    {"model versions are stored once with their bytes; labelled examples read back in order",
     models_and_examples},
    {"the asset list keeps each asset's latest standing; paged, sorted, searched; the overview "
     "counts it",
     estate_of_assets},
    {"an entry is found by its id, only under its own asset", entries_by_id},
    {"scan jobs are listed newest first, by page and by status", scan_job_list},
    {"a schedule's run is claimed once with its job; a skipped run moves it on", schedules},
};

} // namespace

void check_storage_contract(const backend_factory& open) {
  for (const auto& c : cases)
    SECTION(c.name) {
      auto backend = open();
      c.check(backend);
    }
}

} // namespace qs::test
