// What `POST .../train` does in version 0: it stores the submitted scan results
// as training examples (a finding may carry "exploited": true|false as its
// label) and says so. It never pretends to train: the running model stays the
// rule-based one until a learned model exists.
#pragma once

#include <string>

#include "actors/messages.hpp"
#include "runtime/storage/records.hpp"

namespace qs::actors {

/// One example per scan result; labelled exploited when any finding says
/// `"exploited": true`, not exploited when every labelled finding says false.
runtime::storage::write_batch training_batch(const job& work);

/// `degraded_reason` non-empty: the cluster could not take the examples and
/// the bridge stored them itself.
std::string train_answer_body(const job& work, const runtime::storage::write_batch& batch,
                              const std::string& degraded_reason = {});

} // namespace qs::actors
