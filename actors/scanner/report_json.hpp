// The `json` format of `qscan scan` (docs/scanning.md): an array with one
// object per target, with its inventory, findings and quantum risk. Never any
// private-key material. Pure.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "actors/scanner/report.hpp"
#include "protocol/json_writer.hpp"

namespace qs::scanner {

/// `extra` may write more members into the result's object (a scan job's analysis).
void write_result(protocol::json_writer& out, const target_result& r,
                  const std::function<void(protocol::json_writer&)>& extra = {});
std::string results_json(const std::vector<target_result>& results);

} // namespace qs::scanner
