// A CBOM compared with a previous run's (`qscan scan --format cbom --baseline
// OLD.cbom`): on real key files, a replaced certificate's components are new, the
// old one's listed absent in the metadata, the kept key unchanged; the output stays
// valid CycloneDX 1.6; a CBOM baseline for another format is a usage error.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>

#include "tests/scan/lab.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

using namespace qs::test;
namespace json = boost::json;

namespace {

void make_certificate(const std::string& key, const std::string& cert, const char* curve) {
  auto child = child_process::start({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                                     std::string("ec_paramgen_curve:") + curve, "-nodes", "-keyout",
                                     key, "-out", cert, "-days", "400", "-subj", "/CN=cbom"});
  REQUIRE(child.wait(std::chrono::seconds(60)) == 0);
}

} // namespace

TEST_CASE("a CBOM compared with the previous run's: components new, unchanged, and absent",
          "[scan][cli][baseline][cbom]") {
  temp_dir dir;
  const auto keys = dir.file("keys");
  std::filesystem::create_directories(keys);
  make_certificate(keys + "/kept.key", keys + "/kept.pem", "P-256");
  make_certificate(keys + "/old.key", keys + "/site.pem", "P-384");
  const std::string target = "file://" + keys;
  auto first = qscan_scan({"--format", "cbom", target});
  REQUIRE(first.exit_code == 0);
  { std::ofstream(dir.file("first.cbom")) << first.out; }
  std::map<std::string, std::string> before; // bom-ref -> name
  const auto first_bom = json::parse(first.out);
  for (const auto& c : first_bom.at("components").as_array())
    before[std::string(c.at("bom-ref").as_string())] = std::string(c.at("name").as_string());

  // The site's certificate is replaced (a new key on another curve).
  std::filesystem::remove(keys + "/old.key");
  make_certificate(keys + "/new.key", keys + "/site.pem", "P-521");
  auto second = qscan_scan({"--format", "cbom", "--baseline", dir.file("first.cbom"), target});
  INFO(second.err);
  REQUIRE(second.exit_code == 0);
  CHECK_THAT(second.err, Catch::Contains("against the baseline:"));
  { std::ofstream(dir.file("second.cbom")) << second.out; }
  CHECK(validate(QS_SHARED_DATA "/cyclonedx/bom-1.6.schema.json", dir.file("second.cbom")) == 0);
  const auto bom = json::parse(second.out);
  std::map<std::string, std::string> state; // bom-ref -> new | unchanged
  for (const auto& c : bom.at("components").as_array())
    state[std::string(c.at("bom-ref").as_string())] =
        std::string(c.at("properties").at(0).at("value").as_string());
  std::size_t added = 0, kept = 0;
  for (const auto& [ref, s] : state) {
    INFO(ref << ": " << s);
    CHECK(s == (before.count(ref) ? "unchanged" : "new"));
    ++(s == "new" ? added : kept);
  }
  CHECK(added >= 2); // the new certificate and its key at least
  CHECK(kept >= 2);  // the kept certificate and its key
  std::vector<std::string> absent;
  for (const auto& p : bom.at("metadata").at("properties").as_array()) {
    CHECK(p.at("name") == "qscan:absentComponent");
    absent.emplace_back(p.at("value").as_string());
  }
  REQUIRE(absent.size() >= 2); // the old certificate and its key
  for (const auto& a : absent)
    CHECK(!state.count(a.substr(0, a.find(' '))));

  auto other = qscan_scan({"--format", "sarif", "--baseline", dir.file("first.cbom"), target});
  CHECK(other.exit_code == 2);
  CHECK_THAT(other.err, Catch::Contains("compares --format cbom"));
}
