// What changed between two scans of an asset: findings new, fixed and unchanged
// (the same rule, algorithm, location and CVE, whatever the wording), algorithms,
// post-quantum groups and certificates, each finding with its rating and exploit
// probability; one scan alone compares nothing.
#include <catch2/catch.hpp>

#include <boost/json/parse.hpp>

#include "actors/analytics/scan_changes.hpp"

using qs::runtime::storage::entry;

namespace {

entry scan(std::int64_t id, const std::string& vulnerabilities, const std::string& certificates,
           const std::string& predicted) {
  entry e;
  e.id = id;
  e.asset_id = "tls://web:443";
  e.stored_at = "2026-12-0" + std::to_string(id) + "T10:00:00+00:00";
  e.scan_timestamp = e.stored_at;
  e.scan_result = R"({"asset_id":"tls://web:443","quantum_risk_score":0.)" + std::to_string(id) +
                  R"(,"vulnerabilities":[)" + vulnerabilities +
                  R"(],"metadata":{"certificates":[)" + certificates + "]}}";
  e.prediction = R"({"threat_score":0.5,"findings":[)" + predicted + "]}";
  return e;
}

boost::json::object changes(const entry* from, const entry* to) {
  qs::protocol::json_writer out;
  qs::analytics::write_changes(out, "tls://web:443", from, to);
  return boost::json::parse(out.release()).as_object();
}

const char* rsa =
    R"({"type":"quantum_vulnerable","severity":"high","algorithm":"RSA-2048",)"
    R"("location":"tls://web:443","title":"RSA key","rule":"QS-AUTH-QUANTUM-VULNERABLE"})";
const char* x25519 =
    R"({"type":"quantum_vulnerable","severity":"high","algorithm":"X25519",)"
    R"("location":"tls://web:443","title":"x25519 group","rule":"QS-KEX-QUANTUM-VULNERABLE"})";
const char* hybrid = R"({"type":"quantum_safe","severity":"info","algorithm":"X25519MLKEM768",)"
                     R"("location":"tls://web:443","rule":"QS-KEX-POST-QUANTUM"})";
const char* cert_a =
    R"({"sha256":"aa","subject":"CN=web","not_after":"2027-01-01T00:00:00Z","key":"RSA-2048"})";
const char* cert_b =
    R"({"sha256":"bb","subject":"CN=web","not_after":"2028-01-01T00:00:00Z","key":"EC-P-256"})";

} // namespace

TEST_CASE("changes between two scans: a group gone, a finding fixed, a certificate replaced",
          "[changes]") {
  const auto before = scan(1, std::string(rsa) + "," + x25519 + "," + hybrid, cert_a,
                           R"({"exploit_probability":0.25},{"exploit_probability":0.5},{})");
  // The RSA finding reworded and raised: still the same finding.
  std::string reworded = rsa;
  reworded.replace(reworded.find("RSA key"), 7, "an RSA-2048 key");
  const auto after = scan(2, reworded, cert_b, R"({"exploit_probability":0.125})");
  const auto c = changes(&before, &after);
  CHECK(c.at("from").at("id") == 1);
  CHECK(c.at("to").at("id") == 2);
  const auto& f = c.at("findings").as_object();
  CHECK(f.at("new").as_array().empty());
  REQUIRE(f.at("fixed").as_array().size() == 1);
  CHECK(f.at("fixed").at(0).at("algorithm") == "X25519");
  CHECK(f.at("fixed").at(0).at("exploit_probability") == 0.5);
  CHECK(f.at("fixed").at(0).at("quantum_status") == "broken_by_shor");
  REQUIRE(f.at("unchanged").as_array().size() == 1);
  CHECK(f.at("unchanged").at(0).at("title") == "an RSA-2048 key");
  CHECK(f.at("unchanged").at(0).at("exploit_probability") == 0.125);
  CHECK(c.at("algorithms").at("removed") == boost::json::array{"X25519", "X25519MLKEM768"});
  CHECK(c.at("algorithms").at("added").as_array().empty());
  CHECK(c.at("post_quantum_groups").at("lost") == boost::json::array{"X25519MLKEM768"});
  CHECK(c.at("certificates").at("removed").at(0).at("sha256") == "aa");
  CHECK(c.at("certificates").at("added").at(0).at("key") == "EC-P-256");
  CHECK(c.at("summary") == "0 new, 1 fixed, 1 unchanged");

  // The other way round: what was fixed is new, the group gained.
  const auto back = changes(&after, &before);
  CHECK(back.at("findings").at("new").as_array().size() == 1);
  CHECK(back.at("post_quantum_groups").at("gained") == boost::json::array{"X25519MLKEM768"});
}

TEST_CASE("an asset with one scan has nothing to compare", "[changes]") {
  const auto only = scan(1, rsa, cert_a, "");
  const auto c = changes(nullptr, &only);
  CHECK(c.at("from").is_null());
  CHECK(c.at("to").at("id") == 1);
  CHECK(c.at("findings").at("new").as_array().empty());
  CHECK(c.at("findings").at("unchanged").as_array().empty());
  CHECK(c.at("certificates").at("added").as_array().empty());
}
