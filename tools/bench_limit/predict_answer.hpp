// The answer of qs-bench-limit, the bare server `tools/bench ratio` measures
// `qscan serve` against: POST /ai-threat-predictor/predict parsed with Boost.JSON,
// a trivial score per scan result (its findings' highest severity weight), and
// an answer of the same shape and byte order as qscan's (threat score, types,
// confidence, one mitigation step per algorithm, a timestamp, a number per
// finding). No validation beyond what walking the body needs, no storage, no
// model. Pure function: safe to call from any thread.
#pragma once

#include <string>
#include <string_view>

namespace qs::bench_limit {

struct predict_answer {
  unsigned status = 200; ///< 200, 400 (not JSON) or 422 (no scan_results list)
  std::string body;      ///< always a JSON document
};

/// Answers one predict request body; `request_id` is echoed in the answer.
predict_answer answer_predict(std::string_view body, std::string_view request_id);

} // namespace qs::bench_limit
