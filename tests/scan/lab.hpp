// The scanner's tests against the lab of real servers (tools/tls-lab, started
// by the CTest fixture "lab" in QS_LAB_DIR): the targets by name, and `qscan scan`
// run as a real process with its JSON parsed.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <boost/json.hpp>

namespace qs::test {

/// NAME -> URL of every lab server ("rsa2048" -> "tls://127.0.0.1:40123").
const std::map<std::string, std::string>& lab_targets();
std::string lab_file(const std::string& name);

struct scan_run {
  int exit_code = 0;
  std::string out;                    ///< stdout
  std::string err;                    ///< stderr
  boost::json::array results() const; ///< `out` as the JSON format
};

/// `qscan scan ARGS...`, waited for (60 s at most).
scan_run qscan_scan(const std::vector<std::string>& args);

/// The result for `target` in a JSON scan, by its target URL.
const boost::json::object& result_for(const boost::json::array& results, const std::string& target);

std::vector<std::string> strings(const boost::json::value& array);

/// 0 when the JSON file `document` is valid against the JSON schema file `schema`
/// (python3-jsonschema); the validator's complaint is logged otherwise.
int validate(const std::string& schema, const std::string& document);
bool has_finding(const boost::json::object& result, const std::string& rule);
/// The result's findings one by one: each group's instances (the json format groups
/// findings by rule and location), and each finding alone.
boost::json::array flat_findings(const boost::json::object& result);

} // namespace qs::test
