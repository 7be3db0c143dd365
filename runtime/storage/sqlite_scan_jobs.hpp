// The scan-job statements of the SQLite back-end (see storage.hpp for what each
// does), over one connection whose mutex the caller holds.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "runtime/storage/sqlite_connection.hpp"

namespace qs::runtime::storage::sqlite_scan_jobs {

result<done> create_scan_job(sqlite_connection& c, const scan_job& job);
result<done> store_scan_results(sqlite_connection& c, const std::string& job_id,
                                const std::vector<scan_result_row>& rows);
result<done> finish_scan_job(sqlite_connection& c, const std::string& job_id,
                             const std::string& status, const std::string& error);
result<std::optional<scan_job>> find_scan_job(sqlite_connection& c, const std::string& id);
result<std::vector<scan_job>> unfinished_scan_jobs(sqlite_connection& c);
result<std::vector<scan_result_row>> scan_results(sqlite_connection& c, const std::string& job_id,
                                                  std::int64_t after, std::size_t limit);

} // namespace qs::runtime::storage::sqlite_scan_jobs
