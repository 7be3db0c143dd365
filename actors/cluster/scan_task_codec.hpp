// The scanner role on the cluster wire, in CBOR (docs/protocol.md, "Work"): a chunk of
// a scan job as a TASK's payload, each network target with the address the
// coordinator resolved and checked,
//   {"targets": [{"target": "tls://db:443", "address": "10.0.0.7"}, ...],
//    "timeout_ms": 5000, "probes_per_endpoint": 8}
// the RESULT a scanner node answers, one array per target of results in the `json`
// format of `qscan scan` (actors/scanner/report_json.hpp), each a CBOR value
//   [[{result}], [{result}, {result}], ...]
// and a bridge's POST /v1/scans (REQUEST_SCAN) with its answer (a REPLY's value); the
// HTTP bodies are byte strings, carried as they are:
//   {"body": h'...', "owner": "key-1", "request_id": "..."}
//   {"status": 202, "retry_after": 0, "body": h'...'}
// Decoders name the first bad field from `root`. Pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "actors/scanner/scan_messages.hpp"
#include "runtime/expected.hpp"

namespace qs::actors::wire {

std::string encode_scan_task(const scan_chunk& chunk);
qs::expected<scan_chunk> decode_scan_task(std::string_view bytes,
                                          std::string_view root = "task.payload");

using scan_results = std::vector<std::vector<scanner::target_result>>;
std::string encode_scan_results(const scan_results& results);
qs::expected<scan_results> decode_scan_results(std::string_view bytes,
                                               std::string_view root = "result.payload");

std::string encode_scan_submission(const scan_submission& sub);
qs::expected<scan_submission> decode_scan_submission(std::string_view bytes,
                                                     std::string_view root = "request_scan");
std::string encode_scan_submitted(const scan_submitted& answer);
qs::expected<scan_submitted> decode_scan_submitted(std::string_view bytes,
                                                   std::string_view root = "reply.value");

} // namespace qs::actors::wire
