// The calls of the stores (stores.hpp) as values: what a node without the database
// asks a persistence node (`storage_request`), and what comes back
// (`storage_answer`). `serve` runs a request against local stores; remote_stores.hpp
// makes stores that send them; the wire codec is actors/cluster/storage_codec.
// One alternative per store method, in the order of stores.hpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "runtime/storage/stores.hpp"

namespace qs::runtime::storage {

namespace ask {
struct find_answer {
  std::string key;
};
struct history {
  std::string asset_id;
  std::uint64_t limit = 0;
  std::optional<std::string> cursor;
};
struct latest {
  std::string asset_id;
};
struct judged_scans {
  std::vector<std::string> asset_ids;
  std::uint64_t max_scans = 0;
};
struct store_model {
  stored_model model;
};
struct latest_model {
  std::string kind;
};
struct list_models {
  std::string kind;
};
struct count_training {};
struct labelled_examples {
  std::uint64_t limit = 0;
};
struct create_scan_job {
  scan_job job;
};
struct store_scan_results {
  std::string job_id;
  std::vector<scan_result_row> rows;
};
struct finish_scan_job {
  std::string job_id;
  std::string status;
  std::string error;
};
struct find_scan_job {
  std::string id;
};
struct scan_results {
  std::string job_id;
  std::int64_t after = 0;
  std::uint64_t limit = 0;
};
struct unfinished_scan_jobs {};
struct find_entry {
  std::string asset_id;
  std::int64_t id = 0;
};
struct list_assets {
  asset_query query;
};
struct overview {
  std::string expiring_before;
  std::uint64_t most = 0;
};
struct list_scan_jobs {
  std::int64_t offset = 0;
  std::int64_t limit = 0;
  std::string status;
};
struct create_schedule {
  schedule value;
};
struct list_schedules {};
struct find_schedule {
  std::string id;
};
struct delete_schedule {
  std::string id;
};
struct claim_schedule_run {
  std::string id;
  std::int64_t due = 0;
  std::int64_t next_run = 0;
  std::optional<scan_job> job;
};
} // namespace ask

using storage_request =
    std::variant<ask::find_answer, ask::history, ask::latest, ask::judged_scans, ask::store_model,
                 ask::latest_model, ask::list_models, ask::count_training, ask::labelled_examples,
                 ask::create_scan_job, ask::store_scan_results, ask::finish_scan_job,
                 ask::find_scan_job, ask::scan_results, ask::unfinished_scan_jobs, ask::find_entry,
                 ask::list_assets, ask::overview, ask::list_scan_jobs, ask::create_schedule,
                 ask::list_schedules, ask::find_schedule, ask::delete_schedule,
                 ask::claim_schedule_run>;

/// `std::monostate`: done, for the calls that return nothing.
using storage_answer =
    std::variant<std::monostate, std::optional<idempotent_answer>, history_page,
                 std::optional<entry>, std::vector<std::vector<std::string>>,
                 std::optional<stored_model>, std::vector<stored_model>, training_counts,
                 std::vector<training_example>, std::optional<scan_job>,
                 std::vector<scan_result_row>, std::vector<scan_job>, asset_list, estate_overview,
                 scan_job_page, std::vector<schedule>, std::optional<schedule>, bool>;

/// Runs `request` against `local`. @pre every store of `local` is set.
expected<storage_answer> serve(const stores& local, const storage_request& request);

/// "history", "store_model", ...: the request's name, for messages.
const char* name_of(const storage_request& request);

} // namespace qs::runtime::storage
