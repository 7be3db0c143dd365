#include <catch2/catch.hpp>

#include <boost/json/parse.hpp>

#include "actors/scanner/scan_request.hpp"

using qs::scanner::read_scan_request;
using qs::scanner::scan_request;

namespace {

qs::protocol::problems problems_of(const char* body) {
  auto read = read_scan_request(boost::json::parse(body), 4);
  REQUIRE(std::holds_alternative<qs::protocol::problems>(read));
  return std::get<qs::protocol::problems>(read);
}

} // namespace

TEST_CASE("a scan request with targets and options is read with its values") {
  auto read = read_scan_request(
      boost::json::parse(R"({"targets": ["tls://127.0.0.1:8443", "ssh://127.0.0.1:22"],
                             "options": {"timeout_ms": 2500, "probes_per_endpoint": 3.0},
                             "label": "kept, not an error"})"),
      4);
  REQUIRE(std::holds_alternative<scan_request>(read));
  const auto& request = std::get<scan_request>(read);
  CHECK(request.targets.size() == 2);
  CHECK(request.timeout.count() == 2500);
  CHECK(request.probes_per_endpoint == 3);
}

TEST_CASE("every bad member of a scan request is named by its path") {
  const auto problems = problems_of(R"({"targets": ["tls://127.0.0.1:8443", 7, "gopher://x:1"],
                      "options": {"timeout_ms": "fast", "probes_per_endpoint": 0}})");
  std::vector<std::string> paths;
  for (const auto& p : problems)
    paths.push_back(p.path);
  CHECK(paths == std::vector<std::string>{"targets[1]", "targets[2]", "options.timeout_ms",
                                          "options.probes_per_endpoint"});
}

TEST_CASE("a number too large for any integer is out of range, not undefined behaviour") {
  // Found by scan_jobs_fuzz under UBSan: 5e27 was cast to an integer before the range check.
  for (const char* body :
       {R"({"targets": ["tls://127.0.0.1:1"], "options": {"timeout_ms": 5e27}})",
        R"({"targets": ["tls://127.0.0.1:1"], "options": {"timeout_ms": -5e27}})",
        R"({"targets": ["tls://127.0.0.1:1"], "options": {"timeout_ms": 18446744073709551615}})",
        R"({"targets": ["tls://127.0.0.1:1"], "options": {"timeout_ms": 2.5}})"}) {
    const auto problems = problems_of(body);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].path == "options.timeout_ms");
    CHECK_THAT(problems[0].message, Catch::Contains("expected an integer from 100 to 60000"));
  }
}

TEST_CASE("too many targets, none, or no list at all are refused") {
  CHECK(problems_of(R"({"targets": []})")[0].path == "targets");
  CHECK(problems_of(R"({"targets": "tls://a:1"})")[0].path == "targets");
  CHECK_THAT(problems_of(R"({"targets": ["a:1","a:2","a:3","a:4","a:5"]})")[0].message,
             Catch::Contains("at most 4"));
  CHECK(problems_of(R"([1])")[0].path == "");
}
