#include <catch2/catch.hpp>

#include <map>

#include <boost/json.hpp>

#include "protocol/json_input.hpp"
#include "protocol/scan_result_codec.hpp"

using namespace qs::protocol;

namespace {

decoded_batch decode(const char* text) {
  auto parsed = parse_json(text);
  REQUIRE(std::holds_alternative<boost::json::value>(parsed));
  return decode_batch(std::get<boost::json::value>(parsed), "scan_results");
}

} // namespace

TEST_CASE("a minimal scan result gets every default", "[codec]") {
  auto b = decode(R"({"scan_results":[{"asset_id":"a"}]})");
  REQUIRE(b.errors.empty());
  REQUIRE(b.results.size() == 1);
  const auto& r = b.results[0];
  CHECK(r.asset_id == "a");
  CHECK(r.asset_type == "unknown");
  CHECK(r.vulnerabilities.empty());
  CHECK(!r.quantum_risk_score);
  CHECK(!r.timestamp.empty());
  CHECK(r.document.at("metadata").as_object().empty());
  CHECK(r.document.at("vulnerabilities").as_array().empty());
}

TEST_CASE("severities are read in any case, and from severity_value", "[codec]") {
  auto b = decode(R"({"scan_results":[{"asset_id":"a","vulnerabilities":[
      {"severity":"HIGH"},{"severity":"informational"},{"severity_value":4},{}]}]})");
  REQUIRE(b.errors.empty());
  const auto& v = b.results[0].vulnerabilities;
  CHECK(v[0].level == severity::high);
  CHECK(v[1].level == severity::info);
  CHECK(v[2].level == severity::critical);
  CHECK(v[3].level == severity::medium);
}

TEST_CASE("CWE ids are normalised from strings and numbers", "[codec]") {
  auto b = decode(R"({"scan_results":[{"asset_id":"a","vulnerabilities":[
      {"cwe_id":"cwe-327"},{"cwe_id":79},{"cwe_id":"89"}]}]})");
  REQUIRE(b.errors.empty());
  const auto& v = b.results[0].vulnerabilities;
  CHECK(v[0].cwe_id == "CWE-327");
  CHECK(v[1].cwe_id == "CWE-79");
  CHECK(v[2].cwe_id == "CWE-89");
}

TEST_CASE("a location object becomes file:line:column", "[codec]") {
  auto b = decode(R"({"scan_results":[{"asset_id":"a","vulnerabilities":[
      {"location":{"filename":"Vault.sol","line":42,"column":7}}]}]})");
  REQUIRE(b.errors.empty());
  CHECK(b.results[0].vulnerabilities[0].location == "Vault.sol:42:7");
}

TEST_CASE("the older Scorpius shape is mapped and a warning says so", "[codec]") {
  auto b = decode(R"({"scan_results":[{"target_id":"t","target_type":"contract",
      "scan_time":"2026-01-02T03:04:05Z","findings":[{"vulnerability_type":"weak_crypto",
      "severity":"high","details":{"algorithm":"RSA-1024","location":"/x"}}],
      "scan_metadata":{"k":1}}]})");
  REQUIRE(b.errors.empty());
  const auto& r = b.results[0];
  CHECK(r.asset_id == "t");
  CHECK(r.asset_type == "contract");
  CHECK(r.timestamp == "2026-01-02T03:04:05+00:00");
  REQUIRE(r.vulnerabilities.size() == 1);
  CHECK(r.vulnerabilities[0].type == "weak_crypto");
  CHECK(r.vulnerabilities[0].algorithm == "RSA-1024");
  CHECK(r.vulnerabilities[0].location == "/x");
  CHECK(r.metadata().at("k") == 1);
  REQUIRE(b.warnings.size() == 1);
  CHECK(b.warnings[0].find("target_id->asset_id") != std::string::npos);
  CHECK(!r.document.contains("target_id"));
}

TEST_CASE("unknown fields are kept in the document", "[codec]") {
  auto b = decode(R"({"scan_results":[{"asset_id":"a","x":{"y":[1,2]},
      "vulnerabilities":[{"severity":"low","z":true}]}],"extra":1})");
  REQUIRE(b.errors.empty());
  CHECK(b.results[0].document.at("x").at("y").as_array().size() == 2);
  CHECK(b.results[0].document.at("vulnerabilities").at(0).at("z") == true);
  CHECK(b.request.at("extra") == 1);
}

TEST_CASE("every problem is reported with its path", "[codec]") {
  auto b = decode(R"({"scan_results":[{"asset_id":7,"asset_type":3,
      "vulnerabilities":[{"cvss_score":"9","confidence":2,"exploited":"yes"}],
      "timestamp":"2026-13-01T00:00:00"}]})");
  std::vector<std::string> paths;
  for (const auto& p : b.errors)
    paths.push_back(p.path);
  CHECK(paths == std::vector<std::string>{"scan_results[0].asset_id", "scan_results[0].asset_type",
                                          "scan_results[0].vulnerabilities[0].cvss_score",
                                          "scan_results[0].vulnerabilities[0].confidence",
                                          "scan_results[0].vulnerabilities[0].exploited",
                                          "scan_results[0].timestamp"});
}

TEST_CASE("a batch larger than the limit is refused as a whole", "[codec]") {
  auto parsed = parse_json(R"({"scan_results":[{"asset_id":"a"},{"asset_id":"b"}]})");
  batch_limits limits;
  limits.max_scan_results = 1;
  auto b = decode_batch(std::get<boost::json::value>(parsed), "scan_results", limits);
  REQUIRE(b.errors.size() == 1);
  CHECK(b.errors[0].path == "scan_results");
}

TEST_CASE("JSON deeper than the limit is an error, not a crash", "[codec]") {
  std::string deep(100000, '[');
  auto parsed = parse_json(deep);
  REQUIRE(std::holds_alternative<json_error>(parsed));
  CHECK(std::get<json_error>(parsed).code == "too_deep");
  auto garbage = parse_json("{\"a\":1} x");
  REQUIRE(std::holds_alternative<json_error>(garbage));
  CHECK(std::get<json_error>(garbage).code == "malformed_json");
}

TEST_CASE("integers too large or of the wrong kind in integer fields are problems naming the "
          "field, never exceptions",
          "[codec]") {
  // 2^63 and 2^64-1 are read by Boost.JSON as unsigned; 1e30 as a double.
  auto b = decode(R"({"scan_results":[{"asset_id":"a","vulnerabilities":[
      {"cwe_id":9223372036854775808},
      {"cwe_id":18446744073709551615},
      {"cwe_id":-5},
      {"cwe_id":1e30},
      {"cwe_id":327.5},
      {"location":{"filename":"a.sol","line":9223372036854775808,"column":-1}},
      {"location":{"filename":"b.sol","line":"12"}},
      {"cwe_id":327.0,"location":{"filename":"c.sol","line":12.0,"column":3}}]}]})");
  std::map<std::string, std::string> problems;
  for (const auto& p : b.errors)
    problems[p.path] = p.message;
  const std::string v = "scan_results[0].vulnerabilities";
  for (const auto& path :
       {v + "[0].cwe_id", v + "[1].cwe_id", v + "[2].cwe_id", v + "[3].cwe_id", v + "[4].cwe_id",
        v + "[5].location.line", v + "[5].location.column", v + "[6].location.line"}) {
    INFO(path);
    CHECK(problems.count(path) == 1);
  }
  CHECK(problems.size() == 8);
  CHECK(problems[v + "[0].cwe_id"] ==
        "expected a whole number from 1 to 2147483647, got 9223372036854775808");
  CHECK(problems[v + "[6].location.line"] == "expected a whole number, got a string");
  // A whole number written as a double is still that number.
  REQUIRE(b.results.size() == 1);
  CHECK(b.results[0].vulnerabilities[7].cwe_id == "CWE-327");
  CHECK(b.results[0].vulnerabilities[7].location == "c.sol:12:3");
}
