// The scan-job storage contract, checked the same way on every back-end.
#pragma once

#include <catch2/catch.hpp>

#include "runtime/storage/storage.hpp"

namespace qs::test {

inline void check_scan_jobs(runtime::storage::storage& db) {
  using namespace runtime::storage;
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
  REQUIRE(db.finish_scan_job("scan-1", "done", ""));
  CHECK(db.unfinished_scan_jobs()->empty());
  CHECK((*db.find_scan_job("scan-1"))->status == "done");
  CHECK(!db.find_scan_job("nope")->has_value());
}

} // namespace qs::test
