// The audit log: one JSON line on stderr for each administrative action (a
// model trained through the API, keys reloaded, the cluster's allow-list
// changed), saying who did it: the API key's name and id, or the OS user of a
// command. Never a secret. Thread-safe (one write per line).
//
//   qscan audit {"time":"2026-12-03T10:00:00Z","action":"train","by":"ops",...}
#pragma once

#include <string_view>
#include <utility>
#include <vector>

namespace qs::runtime::auth {

using audit_fields = std::vector<std::pair<std::string_view, std::string_view>>;

/// Writes the line; `by` names who acted, `fields` add detail.
void audit(std::string_view action, std::string_view by, const audit_fields& fields = {});

/// The OS user running this process ("uid 1000" when it has no name).
std::string_view os_user();

} // namespace qs::runtime::auth
