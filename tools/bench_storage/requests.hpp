// The requests qs-bench-storage stores: scan results of a realistic mix of
// findings, answered as `qscan serve` answers predict (the shipped exploit
// model's predictions, the rule-based anomalies), built into write batches by
// the service's own answer builder.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "runtime/storage/records.hpp"

namespace qs::bench {

struct request_shape {
  std::size_t findings = 10;   ///< per scan result
  std::size_t per_request = 1; ///< scan results per request
  std::size_t assets = 1000;   ///< distinct assets, each in one request of a round
  bool keys = false;           ///< every request carries an Idempotency-Key
};

/// One round of requests: every asset once.
std::vector<runtime::storage::write_batch> make_round(const request_shape& shape);

/// `batch` as the same request sent again later: a new request id, time of
/// receipt and (with keys) Idempotency-Key; the same scan results and answers.
void renumber(runtime::storage::write_batch& batch, std::size_t serial);

} // namespace qs::bench
