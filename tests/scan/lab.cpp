#include "tests/scan/lab.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

namespace qs::test {

const std::map<std::string, std::string>& lab_targets() {
  static const std::map<std::string, std::string> all = [] {
    std::map<std::string, std::string> out;
    std::ifstream in(std::string(QS_LAB_DIR) + "/targets");
    std::string name, url;
    while (in >> name >> url)
      out[name] = url;
    if (out.empty())
      throw std::runtime_error("no lab targets in " QS_LAB_DIR " (tools/tls-lab up)");
    return out;
  }();
  return all;
}

std::string lab_file(const std::string& name) {
  return std::string(QS_LAB_DIR) + "/" + name;
}

namespace {
std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}
} // namespace

scan_run qscan_scan(const std::vector<std::string>& args) {
  temp_dir dir("qs-scan-");
  std::vector<std::string> argv = {QSCAN_BINARY, "scan"};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.push_back("--output");
  argv.push_back(dir.file("out"));
  auto child = child_process::start(argv);
  scan_run run;
  run.exit_code = child.wait(std::chrono::seconds(60));
  run.out = slurp(dir.file("out"));
  run.err = child.stderr_tail(1 << 20);
  return run;
}

boost::json::array scan_run::results() const {
  return boost::json::parse(out).as_array();
}

const boost::json::object& result_for(const boost::json::array& results,
                                      const std::string& target) {
  for (const auto& r : results)
    if (r.at("target").as_string() == target)
      return r.as_object();
  throw std::runtime_error("no result for " + target);
}

std::vector<std::string> strings(const boost::json::value& array) {
  std::vector<std::string> out;
  for (const auto& v : array.as_array())
    out.emplace_back(v.as_string());
  return out;
}

int validate(const std::string& schema, const std::string& document) {
  auto child = child_process::start(
      {"/usr/bin/python3", QS_SOURCE_DIR "/tests/scan/validate_schema.py", schema, document});
  const int code = child.wait(std::chrono::seconds(120));
  if (code != 0)
    UNSCOPED_INFO(child.stderr_tail());
  return code;
}

boost::json::array flat_findings(const boost::json::object& result) {
  boost::json::array out;
  for (const auto& f : result.at("findings").as_array())
    if (const auto* each = f.as_object().if_contains("instances"))
      for (const auto& i : each->as_array())
        out.push_back(i);
    else
      out.push_back(f);
  return out;
}

bool has_finding(const boost::json::object& result, const std::string& rule) {
  for (const auto& f : flat_findings(result))
    if (f.at("rule").as_string() == rule)
      return true;
  return false;
}

} // namespace qs::test
