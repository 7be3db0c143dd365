// The storage interface every back-end implements (SQLite now, PostgreSQL for
// a multi-node cluster later). Errors are values: a failed call returns a
// sentence saying what failed ("cannot open var/qscan.db: unable to open").
//
// Threads: an implementation is safe to call from any thread; writes are
// serialised inside it.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "runtime/result.hpp"
#include "runtime/storage/records.hpp"

namespace qs::runtime::storage {

using runtime::failure;
using runtime::result;

struct done {};

class storage {
public:
  virtual ~storage() = default;

  /// Commits the whole batch atomically and durably; fills in nothing.
  virtual result<done> write(const write_batch& batch) = 0;

  /// Commits several batches in one transaction (group commit). All or none.
  virtual result<done> write_many(const std::vector<const write_batch*>& batches) = 0;

  virtual result<std::optional<idempotent_answer>> find_answer(const std::string& key) = 0;

  /// Newest first; `cursor` is a value returned in `history_page::next`.
  virtual result<history_page> history(const std::string& asset_id, std::size_t limit,
                                       const std::optional<std::string>& cursor) = 0;

  /// The newest entry of an asset that carries a scan result, if any.
  virtual result<std::optional<entry>> latest(const std::string& asset_id) = 0;

  virtual result<training_counts> count_training() = 0;
  /// Stored examples that carry a label, oldest first, at most `limit`.
  virtual result<std::vector<training_example>> labelled_examples(std::size_t limit) = 0;

  /// Model versions: stored once (a version stored again is a no-op), the
  /// newest read back whole, all listed without their bytes (newest first).
  virtual result<done> store_model(const stored_model& model) = 0;
  virtual result<std::optional<stored_model>> latest_model(const std::string& kind) = 0;
  virtual result<std::vector<stored_model>> list_models(const std::string& kind) = 0;

  /// Scan jobs: created once (a second create with the same id is a no-op),
  /// results stored at most once per position (and `done` counted from them),
  /// finished with a status; unfinished ones listed for resuming after a restart.
  virtual result<done> create_scan_job(const scan_job& job) = 0;
  virtual result<done> store_scan_results(const std::string& job_id,
                                          const std::vector<scan_result_row>& rows) = 0;
  virtual result<done> finish_scan_job(const std::string& job_id, const std::string& status,
                                       const std::string& error) = 0;
  virtual result<std::optional<scan_job>> find_scan_job(const std::string& id) = 0;
  /// Results with position > `after`, in order, at most `limit`.
  virtual result<std::vector<scan_result_row>>
  scan_results(const std::string& job_id, std::int64_t after, std::size_t limit) = 0;
  virtual result<std::vector<scan_job>> unfinished_scan_jobs() = 0;

  /// Schema version after migrations.
  virtual int schema_version() const = 0;
};

struct sqlite_options {
  std::string path;             ///< database file; ":memory:" for tests
  bool synchronous_full = true; ///< fsync every commit (else NORMAL: safe against process crash)
  int busy_timeout_ms = 5000;
};

/// Opens (creating if needed) and migrates an SQLite database in WAL mode.
result<std::unique_ptr<storage>> open_sqlite(const sqlite_options& options);

/// Connects to and migrates a PostgreSQL database; `conninfo` is a
/// postgresql:// URL or a "host=... dbname=..." string, handed to libpq.
/// Commits are durable (synchronous_commit at least on).
result<std::unique_ptr<storage>> open_postgres(const std::string& conninfo);

} // namespace qs::runtime::storage
