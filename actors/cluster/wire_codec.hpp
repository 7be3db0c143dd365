// The CBOR codecs of a node's work on the cluster wire (docs/protocol.md, "Work"):
// a whole job (REQUEST_JOB), a worker task (the scan results of one slice), the
// predictions and anomalies a worker answers, a storage write batch (a persistence
// TASK, REQUEST_STORE, and each entry of a bridge's spool), and the outcome of a job
// (the value of a REPLY to REQUEST_JOB).
//
// Every decode(encode(x)) gives x back field for field: doubles are float64, bit for
// bit (NaN and infinities too); strings keep their bytes, even bytes that are not
// UTF-8; a scan result's document is a CBOR value (protocol/cbor_json.hpp); stored
// JSON text and HTTP bodies are byte strings, byte for byte; an unset optional is
// null; enums are codes. Decoders check every field and name the first bad one with
// its path from `root` ("job.results[3].asset_id: expected a text string, got an
// array"), code wire_errc::bad_field or malformed. Fields they do not know are
// ignored, so a newer node can add some (docs/protocol.md, "Versioning").
//
// Pure functions of their arguments: thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "actors/messages.hpp"
#include "protocol/answers.hpp"
#include "runtime/expected.hpp"
#include "runtime/storage/records.hpp"

namespace qs::actors::wire {

/// A whole job (bridge -> coordinator): every field of `job`.
std::string encode_job(const job& work);
qs::expected<job_ptr> decode_job(std::string_view bytes, std::string_view root = "job");

/// A worker task: the scan results of a slice (only those at `part.indices`, in that
/// order), plus the job's op and request_id. `part.work` must be set and every index
/// in range (std::invalid_argument / std::out_of_range if not). Each document is cut to
/// its "metadata" member (`{}` when it has none): predictors and anomaly shards read a
/// scan result's typed fields and `metadata()`, never the rest of its document, which
/// the coordinator keeps for the answer and storage.
std::string encode_task(const slice& part);
/// Decodes into a slice whose job holds just those results, with indices 0..k-1.
qs::expected<slice> decode_task(std::string_view bytes, std::string_view root = "task.payload");

std::string encode_predictions(const std::vector<protocol::prediction>& items);
qs::expected<std::vector<protocol::prediction>>
decode_predictions(std::string_view bytes, std::string_view root = "predictions");

std::string encode_anomalies(const std::vector<protocol::anomaly>& items);
qs::expected<std::vector<protocol::anomaly>> decode_anomalies(std::string_view bytes,
                                                              std::string_view root = "anomalies");

std::string encode_batch(const runtime::storage::write_batch& batch);
qs::expected<runtime::storage::write_batch> decode_batch(std::string_view bytes,
                                                         std::string_view root = "batch");

/// A job's answer: status, body, degraded and its reasons. A job the cluster could
/// not answer (`failure` set) is not an outcome on the wire but a REPLY's error.
std::string encode_outcome(const job_outcome& out);
qs::expected<job_outcome> decode_outcome(std::string_view bytes, std::string_view root = "outcome");

} // namespace qs::actors::wire
