// What the scan jobs actor makes of a request body: a scan request whose every
// target is admitted by the policy (or the answer that refuses it: 400, 422 with
// each bad field's path, 403 with each target outside the policy), the job's stored
// request, and schedules (POST /v1/schedules): a new one from its body, its answer
// shape, and when it runs next. Pure but for the clock and randomness named.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>

#include <boost/json/value.hpp>

#include "actors/scanner/scan_messages.hpp"
#include "actors/scanner/scan_policy.hpp"
#include "actors/scanner/scan_request.hpp"
#include "protocol/json_input.hpp"
#include "protocol/json_writer.hpp"
#include "protocol/problem.hpp"
#include "runtime/storage/records.hpp"

namespace qs::scanner {

actors::scan_submitted refusal(unsigned status, const char* code, const std::string& message,
                               const protocol::problems& details = {});

/// The body's scan request with each network target's checked address, or its refusal.
std::variant<scan_request, actors::scan_submitted> admitted_request(const boost::json::value& body,
                                                                    const scan_policy& policy,
                                                                    std::size_t max_targets);

/// A job's stored request: the body as sent (unknown members kept), the addresses
/// its targets were checked at, the chunk size, and the schedule that ran it ("" none).
std::string stored_request(const boost::json::value& body, const scan_request& request,
                           std::size_t chunk_size, const std::string& schedule = "");

/// "scan-" and 16 random hex digits.
std::string new_job_id();

/// A schedule of `sub` (its targets admitted, `every` or `cron`, `jitter`, `name`),
/// first due at `now` plus jitter for an interval, at its first time for cron; or
/// the refusal.
std::variant<runtime::storage::schedule, actors::scan_submitted>
new_schedule(const actors::scan_submission& sub, const scan_policy& policy, std::size_t max_targets,
             const protocol::json_limits& limits, std::int64_t now);

/// The run after one due at `now`: the schedule's next time plus random jitter;
/// nullopt when its stored request cannot be read or names no time ahead.
std::optional<std::int64_t> following_run(const runtime::storage::schedule& s, std::int64_t now);

/// The id of the job that runs `s`'s run due at `due`: the same for every claim of it.
std::string run_job_id(const runtime::storage::schedule& s, std::int64_t due);

/// The Schedule answer (docs/api/openapi.yaml).
void write_schedule(protocol::json_writer& out, const runtime::storage::schedule& s);

/// ISO 8601 of `seconds` since the epoch: "2026-12-07T03:00:00+00:00".
std::string iso_time(std::int64_t seconds);

} // namespace qs::scanner
