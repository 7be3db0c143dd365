// The storage contract's cases about the estate (the asset list and the overview),
// entries by id, the scan job list and schedules (tests/support/storage_contract.cpp
// runs them with the others, on each back-end).
#pragma once

#include "tests/support/storage_contract.hpp"

namespace qs::test {

void estate_of_assets(storage_backend& b);
void entries_by_id(storage_backend& b);
void scan_job_list(storage_backend& b);
void schedules(storage_backend& b);

} // namespace qs::test
