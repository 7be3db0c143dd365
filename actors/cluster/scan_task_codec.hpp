// The scanner role's task on the cluster wire: a chunk of a scan job, and the
// results a scanner node answers with (the `json` format, one array per target).
//   {"targets": [{"target": "tls://db:443", "address": "10.0.0.7"}, ...],
//    "timeout_ms": 5000, "probes_per_endpoint": 8}
//   [[{result}], [{result}, {result}], ...]
// And a bridge's POST /v1/scans for the coordinator's scan jobs, and its answer:
//   {"body": "...", "owner": "key-1", "request_id": "..."}
//   {"status": 202, "retry_after": 0, "body": "..."}
// Decoders name the first bad field. Pure.
#pragma once

#include <string>
#include <string_view>
#include <variant>

#include "actors/scanner/scan_messages.hpp"

namespace qs::actors::wire {

std::string encode_scan_task(const scan_chunk& chunk);
std::variant<scan_chunk, std::string> decode_scan_task(std::string_view json);

std::string encode_scan_results(const std::vector<std::vector<scanner::target_result>>& results);
std::variant<std::vector<std::vector<scanner::target_result>>, std::string>
decode_scan_results(std::string_view json);

std::string encode_scan_submission(const scan_submission& sub);
std::variant<scan_submission, std::string> decode_scan_submission(std::string_view json);
std::string encode_scan_submitted(const scan_submitted& answer);
std::variant<scan_submitted, std::string> decode_scan_submitted(std::string_view json);

} // namespace qs::actors::wire
