// The JSON codecs that carry a node's work over the cluster wire: a whole job
// (bridge -> coordinator), a worker task (the scan results of one slice), the
// predictions and anomalies a worker answers, a storage write batch, and the
// outcome of a job.
//
// Every decode(encode(x)) gives x back field for field: doubles are written in
// their shortest round-trip form and read back correctly rounded, bit for bit
// (infinities as 1e999 and -1e999, NaN as the string "NaN"); strings keep their
// bytes, even bytes that are not UTF-8; an unset optional is null. Decoders
// check every field and answer one sentence naming the first bad one:
//   job field "results[3]" must be an object
// Unknown members are ignored, so a newer node can add fields.
//
// Pure functions of their arguments: thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "actors/messages.hpp"
#include "protocol/answers.hpp"
#include "runtime/storage/records.hpp"

namespace qs::actors::wire {

/// A whole job (bridge -> coordinator): every field of `job`.
std::string encode_job(const job& work);
std::variant<job_ptr, std::string> decode_job(std::string_view json);

/// A worker task: the scan results of a slice (only those at `part.indices`,
/// in that order), plus the job's op and request_id. `part.work` must be set
/// and every index in range (std::invalid_argument / std::out_of_range if not).
std::string encode_task(const slice& part);
/// Decodes into a slice whose job holds just those results, with indices 0..k-1.
std::variant<slice, std::string> decode_task(std::string_view json);

std::string encode_predictions(const std::vector<protocol::prediction>& items);
std::variant<std::vector<protocol::prediction>, std::string>
decode_predictions(std::string_view json);

std::string encode_anomalies(const std::vector<protocol::anomaly>& items);
std::variant<std::vector<protocol::anomaly>, std::string> decode_anomalies(std::string_view json);

std::string encode_batch(const runtime::storage::write_batch& batch);
std::variant<runtime::storage::write_batch, std::string> decode_batch(std::string_view json);

std::string encode_outcome(const job_outcome& out);
std::variant<job_outcome, std::string> decode_outcome(std::string_view json);

} // namespace qs::actors::wire
