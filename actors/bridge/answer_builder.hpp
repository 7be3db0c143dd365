// Builds the JSON answer of a job (predict, detect-anomalies, enhance) and the
// write batch that stores it. Pure functions, shared by the coordinator and
// the bridge's local fallback, so a degraded answer has the same shape.
#pragma once

#include <string>
#include <vector>

#include "actors/analytics/risk.hpp"
#include "actors/messages.hpp"
#include "runtime/storage/records.hpp"

namespace qs::actors {

struct job_answers {
  /// One per scan result; an item is missing (empty optional) when its role failed.
  std::vector<std::optional<protocol::prediction>> predictions;
  std::vector<std::optional<protocol::anomaly>> anomalies;
  bool degraded = false;
  std::vector<std::string> degraded_reasons;
};

/// The response body for `work.op` (not train) and the write batch that
/// stores every scan result with its answers (and the idempotent answer when
/// the request carried a key). Each part is encoded once for both.
struct built_answer {
  std::string body;
  runtime::storage::write_batch batch;
};

built_answer build_answer(const job& work, const job_answers& answers,
                          const analytics::risk_weights& weights);

/// Computes both answers locally with the rule-based logic (the bridge's
/// fallback, and the single-process path's reference).
job_answers answer_locally(const job& work);

} // namespace qs::actors
