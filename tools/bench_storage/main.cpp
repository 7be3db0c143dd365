// qs-bench-storage: what storing scan results costs, through the real store
// code (the group committer and the SQL batch writer, as `qscan serve` stores
// them), durability on (SQLite: WAL, synchronous=FULL). Stores --results scan
// results of --findings findings each, --per-request to a request, over
// --assets assets (each asset once per round, so histories grow), into a fresh
// SQLite file (or --url postgresql://...), then prints the database's size per
// result and the results stored per second, as Markdown.
//
//   qs-bench-storage [--results 100000] [--findings 10] [--per-request 1]
//                    [--assets 1000] [--keys] [--url sqlite:PATH|postgresql://...]
//                    [--in-flight 64]
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <string>

#include <sqlite3.h>

#include "runtime/storage/database.hpp"
#include "runtime/storage/group_committer.hpp"
#include "tools/bench_storage/requests.hpp"

namespace {

using clock_type = std::chrono::steady_clock;

std::string flag(int argc, char** argv, const std::string& name, const std::string& fallback) {
  for (int i = 1; i + 1 < argc; ++i)
    if (argv[i] == name)
      return argv[i + 1];
  return fallback;
}

bool has(int argc, char** argv, const std::string& name) {
  for (int i = 1; i < argc; ++i)
    if (argv[i] == name)
      return true;
  return false;
}

/// Bytes per table and index of the SQLite file at `path` (dbstat), largest first.
void print_tables(const std::string& path, double results) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close_v2(db);
    return;
  }
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db,
                         "SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name"
                         " ORDER BY bytes DESC",
                         -1, &stmt, nullptr) == SQLITE_OK) {
    std::printf("\n| table or index | bytes | bytes per result |\n| --- | --- | --- |\n");
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      const auto bytes = static_cast<double>(sqlite3_column_int64(stmt, 1));
      std::printf("| %s | %.0f | %.1f |\n",
                  reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)), bytes,
                  bytes / results);
    }
  }
  sqlite3_finalize(stmt);
  sqlite3_close_v2(db);
}

} // namespace

int main(int argc, char** argv) {
  namespace storage = qs::runtime::storage;
  const auto results = std::stoul(flag(argc, argv, "--results", "100000"));
  qs::bench::request_shape shape;
  shape.findings = std::stoul(flag(argc, argv, "--findings", "10"));
  shape.per_request = std::max(1ul, std::stoul(flag(argc, argv, "--per-request", "1")));
  shape.assets = std::max(shape.per_request, std::stoul(flag(argc, argv, "--assets", "1000")));
  shape.keys = has(argc, argv, "--keys");
  const auto in_flight = std::max(1ul, std::stoul(flag(argc, argv, "--in-flight", "64")));

  std::string url = flag(argc, argv, "--url", "");
  std::filesystem::path folder;
  if (url.empty()) {
    char pattern[] = "/tmp/qs-bench-storage-XXXXXX";
    if (!::mkdtemp(pattern)) {
      std::cerr << "cannot create a folder under /tmp\n";
      return 1;
    }
    folder = pattern;
    url = "sqlite:" + (folder / "qscan.db").string();
  }
  const bool sqlite = url.rfind("sqlite:", 0) == 0;
  const std::string path = sqlite ? url.substr(7) : "";

  std::cerr << "bench-storage: building one round of " << shape.assets << " scan results\n";
  auto round = qs::bench::make_round(shape);
  std::size_t raw = 0; // the texts a result hands to storage
  for (const auto& b : round)
    for (const auto& e : b.entries)
      raw += e.scan_result.size() + e.prediction.size() + e.anomaly.size();

  double seconds = 0;
  std::size_t stored = 0, failed = 0, requests = 0;
  std::string schema;
  {
    auto opened = storage::database::open({url, true});
    if (!opened) {
      std::cerr << "bench-storage: " << opened.error().message << "\n";
      return 1;
    }
    schema = std::to_string((*opened)->schema_version());
    storage::group_committer committer((*opened)->writer());
    std::mutex mutex;
    std::condition_variable room;
    std::size_t pending = 0;
    std::cerr << "bench-storage: storing " << results << " scan results into " << url << "\n";
    const auto start = clock_type::now();
    while (stored < results) {
      for (auto batch : round) {
        if (stored >= results)
          break;
        qs::bench::renumber(batch, requests++);
        stored += batch.entries.size();
        std::unique_lock lock(mutex);
        room.wait(lock, [&] { return pending < in_flight; });
        ++pending;
        lock.unlock();
        committer.submit(std::move(batch), [&](const qs::expected<void>& outcome) {
          std::lock_guard done(mutex);
          failed += outcome ? 0 : 1;
          --pending;
          room.notify_one();
        });
      }
    }
    committer.flush();
    seconds = std::chrono::duration<double>(clock_type::now() - start).count();
  } // closed: SQLite checkpoints the WAL into the file

  std::printf("| scan results | findings each | per request | assets | keys | schema |"
              " bytes per result (texts) | database bytes | bytes per result | results/s |"
              " failed |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
  const double size =
      sqlite ? static_cast<double>(std::filesystem::file_size(path)) : 0.0; // PostgreSQL: n/a
  std::printf("| %zu | %zu | %zu | %zu | %s | %s | %.0f | %.0f | %.0f | %.0f | %zu |\n", stored,
              shape.findings, shape.per_request, shape.assets, shape.keys ? "yes" : "no",
              schema.c_str(), static_cast<double>(raw) / static_cast<double>(shape.assets), size,
              size / static_cast<double>(stored), static_cast<double>(stored) / seconds, failed);
  if (sqlite)
    print_tables(path, static_cast<double>(stored));
  if (!folder.empty() && !has(argc, argv, "--keep")) {
    std::error_code ignored;
    std::filesystem::remove_all(folder, ignored);
  } else if (sqlite) {
    std::cerr << "bench-storage: kept " << path << "\n";
  }
  return failed == 0 ? 0 : 1;
}
