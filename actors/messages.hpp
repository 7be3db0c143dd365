// The messages that cross actors inside a node: a job (one HTTP request's
// scan results, already validated), the slices of it that workers process, and
// their outcomes. Outcomes carry failures as values (`error` non-empty), so an
// actor never needs to pattern-match CAF errors to learn what went wrong.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/atom.hpp>

#include "protocol/answers.hpp"
#include "protocol/scan_result.hpp"
#include "runtime/expected.hpp"
#include "runtime/storage/records.hpp"

namespace qs::actors {

using analyze_atom = caf::atom_constant<caf::atom("analyze")>;
using predict_atom = caf::atom_constant<caf::atom("predict")>;
using detect_atom = caf::atom_constant<caf::atom("detect")>;
using store_atom = caf::atom_constant<caf::atom("store")>;
using committed_atom = caf::atom_constant<caf::atom("committed")>;
using retry_atom = caf::atom_constant<caf::atom("retry")>;

enum class operation { predict, detect_anomalies, enhance, train };

const char* to_string(operation op);

/// One request's work, immutable once built and shared by pointer.
struct job {
  operation op = operation::predict;
  std::string request_id;
  std::string route;                   ///< the handler's name, for idempotent answers
  std::string idempotency_key;         ///< scoped, as stored; "" when none was sent
  std::string idempotency_fingerprint; ///< of route and body, stored with the answer
  std::string received_at;
  std::vector<protocol::scan_result> results;
  std::vector<double> quantum_scores; ///< given or computed, one per result
  std::vector<std::string> warnings;
  std::string model_type; ///< train only: "threat_predictor" or "anomaly_detector"
};
using job_ptr = std::shared_ptr<const job>;

/// The part of a job a worker handles: indices into `job->results`.
struct slice {
  job_ptr work;
  std::vector<std::size_t> indices;
};

struct predictions_outcome {
  std::vector<std::size_t> indices;
  std::vector<protocol::prediction> items;
  std::string error;
};

struct anomalies_outcome {
  std::vector<std::size_t> indices;
  std::vector<protocol::anomaly> items;
  std::string error;
};

/// Stored, or why not: a storage error keeps its code (storage::errc), also when it
/// comes from a persistence node across the cluster.
struct store_outcome {
  std::optional<qs::error> error;
};

/// The answer to a job, ready to send.
struct job_outcome {
  unsigned status = 200;
  std::string body;
  bool degraded = false;
  std::vector<std::string> degraded_reasons;
  /// Set when the cluster could not produce an answer; the bridge falls back.
  std::string failure;
};

using batch_ptr = std::shared_ptr<const runtime::storage::write_batch>;
using reply_fn = std::shared_ptr<std::function<void(job_outcome)>>;

} // namespace qs::actors

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(qs::actors::job_ptr)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(qs::actors::slice)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(qs::actors::predictions_outcome)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(qs::actors::anomalies_outcome)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(qs::actors::store_outcome)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(qs::actors::job_outcome)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(qs::actors::batch_ptr)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(qs::actors::reply_fn)
