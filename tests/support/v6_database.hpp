// A database as the build of schema version 6 left it, for the tests that carry
// one forward: migrations 1-6 applied (their statements and steps, as that
// build ran them), then rows inserted with the statements that build's stores
// used. `expected_v6` is what that build's stores read back from them; after
// opening the database with this build, every store must read back the same.
#pragma once

#include <string>
#include <vector>

#include "runtime/storage/records.hpp"
#include "runtime/storage/sql/connection.hpp"
#include "runtime/storage/stores.hpp"

namespace qs::test {

struct v6_contents {
  /// Each asset's entries, newest first (ids as assigned then).
  std::vector<std::pair<std::string, std::vector<runtime::storage::entry>>> histories;
  std::vector<runtime::storage::idempotent_answer> answers;
  std::vector<std::string> request_ids; ///< stored requests
  std::vector<runtime::storage::scan_job> jobs;
  std::vector<runtime::storage::scan_result_row> job_results; ///< of jobs.front()
  std::vector<runtime::storage::training_example> labelled;   ///< oldest first
};

/// Writes schema 6 and its rows through `c` (a fresh database); what they hold.
v6_contents write_v6_database(runtime::storage::sql::connection& c);

} // namespace qs::test

namespace qs::test {

/// Checks (Catch2) that `stores` read back everything `was` holds, field for
/// field and page by page, and that `writer` goes on from there: a request
/// stored before is still skipped, a new entry comes after the old ones.
void check_carried_forward(const v6_contents& was, const runtime::storage::stores& stores,
                           runtime::storage::batch_writer& writer);

} // namespace qs::test
