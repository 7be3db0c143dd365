// The stores of cluster state, one per concern: idempotent answers, asset
// history, models and training examples, scan jobs; and the writer of request
// batches. Each has a local implementation over the SQL layer (sql_stores.hpp,
// on a persistence node or in `qscan serve`) and a remote one that asks a
// persistence node through the cluster (actors/cluster/remote_stores.hpp). One
// contract test suite runs against SQLite, PostgreSQL and the remote one.
//
// Errors: storage::errc (unavailable, invalid_argument for a bad cursor or limit,
// timeout when a remote store's deadline passed, ...).
//
// Threads: every method may be called from any thread, and may block (on the
// database, or on a round trip to a persistence node): never call one on an HTTP
// I/O thread or a CAF scheduler thread; use a storage_executor (executor.hpp).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "runtime/expected.hpp"
#include "runtime/storage/errc.hpp"
#include "runtime/storage/estate.hpp"
#include "runtime/storage/records.hpp"

namespace qs::runtime::storage {

/// Answers to requests that carried an Idempotency-Key (written with their batch).
class answer_store {
public:
  virtual ~answer_store() = default;
  virtual expected<std::optional<idempotent_answer>> find_answer(const std::string& key) = 0;
};

/// Each asset's stored scan results with the answers they got.
class history_store {
public:
  virtual ~history_store() = default;
  /// Newest first; `cursor` is a value of an earlier page's `next`.
  /// invalid_argument for a cursor storage did not hand out or a limit of 0.
  virtual expected<history_page> history(const std::string& asset_id, std::size_t limit,
                                         const std::optional<std::string>& cursor) = 0;
  /// The newest entry of the asset that carries a scan result, if any.
  virtual expected<std::optional<entry>> latest(const std::string& asset_id) = 0;
  /// For each asset, the scan results (JSON) an anomaly shard judged (entries with
  /// an anomaly answer), the newest `max_scans` of them, oldest first: what a shard
  /// replays to rebuild an asset's state. One list per asset, in order.
  virtual expected<std::vector<std::vector<std::string>>>
  judged_scans(const std::vector<std::string>& asset_ids, std::size_t max_scans) = 0;
  /// The asset's entry `id`, if it is one of the asset's.
  virtual expected<std::optional<entry>> find_entry(const std::string& asset_id,
                                                    std::int64_t id) = 0;
};

/// Every asset's latest standing (asset_state.hpp), kept as entries are written.
class estate_store {
public:
  virtual ~estate_store() = default;
  /// A page of the assets matching `query`, in its order (ties by asset id).
  /// invalid_argument for a limit under 1 or a negative offset.
  virtual expected<asset_list> list_assets(const asset_query& query) = 0;
  /// `expiring_before`: ISO 8601; certificates expiring before it are listed.
  /// At most `most` certificates and findings are listed.
  virtual expected<estate_overview> overview(const std::string& expiring_before,
                                             std::size_t most) = 0;
};

/// Exploit model versions and labelled training examples.
class model_store {
public:
  virtual ~model_store() = default;
  /// Stored once: a version stored again is a no-op.
  virtual expected<void> store_model(const stored_model& model) = 0;
  /// The newest version of `kind`, with its bytes.
  virtual expected<std::optional<stored_model>> latest_model(const std::string& kind) = 0;
  /// Every version of `kind`, newest first, without bytes.
  virtual expected<std::vector<stored_model>> list_models(const std::string& kind) = 0;
  virtual expected<training_counts> count_training() = 0;
  /// Examples that carry a label, oldest first, at most `limit`.
  virtual expected<std::vector<training_example>> labelled_examples(std::size_t limit) = 0;
};

/// Scan jobs of POST /v1/scans and their results.
class scan_job_store {
public:
  virtual ~scan_job_store() = default;
  /// Created once: a second create with the same id is a no-op.
  virtual expected<void> create_scan_job(const scan_job& job) = 0;
  /// Each position stored at most once; `done` counts the targets with results.
  virtual expected<void> store_scan_results(const std::string& job_id,
                                            const std::vector<scan_result_row>& rows) = 0;
  virtual expected<void> finish_scan_job(const std::string& job_id, const std::string& status,
                                         const std::string& error) = 0;
  virtual expected<std::optional<scan_job>> find_scan_job(const std::string& id) = 0;
  /// Results with position > `after`, in order, at most `limit`.
  virtual expected<std::vector<scan_result_row>>
  scan_results(const std::string& job_id, std::int64_t after, std::size_t limit) = 0;
  /// Queued or running jobs, oldest first (resumed after a restart).
  virtual expected<std::vector<scan_job>> unfinished_scan_jobs() = 0;
  /// Jobs newest first, `offset` skipped, at most `limit`; `status` "" for all.
  /// Without their requests' targets beyond the first few (`request` holds them).
  virtual expected<scan_job_page> list_scan_jobs(std::int64_t offset, std::int64_t limit,
                                                 const std::string& status) = 0;

  /// Scheduled scans. A second create with the same id is a no-op.
  virtual expected<void> create_schedule(const schedule& s) = 0;
  /// Every schedule, oldest first.
  virtual expected<std::vector<schedule>> list_schedules() = 0;
  virtual expected<std::optional<schedule>> find_schedule(const std::string& id) = 0;
  /// False when there was no such schedule. Its past runs' jobs stay.
  virtual expected<bool> delete_schedule(const std::string& id) = 0;
  /// Claims the run of schedule `id` that was due at `due`, in one transaction: when
  /// its next run is still `due`, it becomes `next_run` and `job` (if any; none when
  /// the run is skipped) is created as its latest run. False when another claim, or
  /// a delete, came first: then nothing is written. So a run is started once, even
  /// by two coordinators, and a crash either side of the commit loses none.
  virtual expected<bool> claim_schedule_run(const std::string& id, std::int64_t due,
                                            std::int64_t next_run,
                                            const std::optional<scan_job>& job) = 0;
};

/// Commits request batches; only where the database is (a persistence node).
class batch_writer {
public:
  virtual ~batch_writer() = default;
  /// All batches in one transaction, durably; all or none. A batch whose request
  /// id or answer key is stored already is skipped whole (a request counts once).
  virtual expected<void> write_many(const std::vector<const write_batch*>& batches) = 0;
  expected<void> write(const write_batch& batch) { return write_many({&batch}); }
};

/// The read (and job) side of cluster state, as one node sees it.
struct stores {
  std::shared_ptr<answer_store> answers;
  std::shared_ptr<history_store> history;
  std::shared_ptr<model_store> models;
  std::shared_ptr<scan_job_store> scan_jobs;
  std::shared_ptr<estate_store> estate;
};

} // namespace qs::runtime::storage
