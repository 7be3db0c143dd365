// Reads the `json` format back (report_json.hpp): a scanner node's answer, and a
// stored result of a scan job, become target results again for the pipeline,
// the CBOM and the SARIF writers. read(write(x)) writes back as x. Members that
// are missing or null take their defaults; unknown ones are ignored; a member
// of the wrong type is an error naming its path ("tls.protocols[2]"). Pure.
#pragma once

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <boost/json/value.hpp>

#include "actors/scanner/report.hpp"

namespace qs::scanner {

std::variant<target_result, std::string> read_result(const boost::json::value& v);
/// An array of results; errors are prefixed with the index ("[3].tls: ...").
std::variant<std::vector<target_result>, std::string> read_results(std::string_view json);

} // namespace qs::scanner
