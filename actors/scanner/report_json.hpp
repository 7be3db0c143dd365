// The `json` format of `qscan scan` (docs/scanning.md): an array with one
// object per target, with its inventory, findings and quantum risk. Never any
// private-key material. Pure.
#pragma once

#include <string>
#include <vector>

#include "actors/scanner/report.hpp"
#include "protocol/json_writer.hpp"

namespace qs::scanner {

void write_result(protocol::json_writer& out, const target_result& r);
std::string results_json(const std::vector<target_result>& results);

} // namespace qs::scanner
