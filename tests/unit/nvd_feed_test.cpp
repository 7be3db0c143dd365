// NVD feeds (JSON 1.1 and CVE API 2.0, gzip or plain) and KEV, from small files
// the tests write.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "actors/intel/gzip.hpp"
#include "actors/intel/kev_catalog.hpp"
#include "actors/intel/nvd_feed.hpp"

using namespace qs::intel;

namespace {

const char* feed_11 = R"({"CVE_data_type": "CVE", "CVE_data_format": "MITRE", "CVE_Items": [
 {"cve": {"CVE_data_meta": {"ID": "CVE-2017-0144", "ASSIGNER": "secure@microsoft.com"},
          "problemtype": {"problemtype_data": [{"description": [{"lang": "en", "value": "CWE-20"}]}]},
          "references": {"reference_data": [{"url": "https://example.org/exploit", "tags": ["Exploit"]}]},
          "description": {"description_data": [{"lang": "en", "value": "The SMBv1 server allows remote attackers to execute arbitrary code."}]}},
  "configurations": {"nodes": [{"operator": "AND", "children": [
      {"operator": "OR", "cpe_match": [
          {"vulnerable": true, "cpe23Uri": "cpe:2.3:o:microsoft:windows_7:-:sp1:*:*:*:*:*:*"},
          {"vulnerable": false, "cpe23Uri": "cpe:2.3:h:vendor:box:-:*:*:*:*:*:*:*"}]}],
      "cpe_match": []}]},
  "impact": {"baseMetricV3": {"cvssV3": {"version": "3.0", "vectorString": "CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H", "baseScore": 8.1, "baseSeverity": "HIGH"}, "exploitabilityScore": 2.2, "impactScore": 5.9},
             "baseMetricV2": {"cvssV2": {"vectorString": "AV:N/AC:M/Au:N/C:C/I:C/A:C", "baseScore": 9.3}, "severity": "HIGH", "exploitabilityScore": 8.6, "impactScore": 10.0, "userInteractionRequired": false, "obtainAllPrivilege": false}},
  "publishedDate": "2017-03-17T00:59Z", "lastModifiedDate": "2019-10-03T00:03Z", "futureField": [1, 2]},
 {"cve": {"CVE_data_meta": {"ID": "CVE-2017-9999"},
          "description": {"description_data": [{"lang": "en", "value": "** REJECT ** DO NOT USE THIS CANDIDATE NUMBER."}]}},
  "publishedDate": "2017-05-01T00:00Z", "lastModifiedDate": "2017-05-02T00:00Z"},
 {"cve": {"description": {"description_data": []}}}
]})";

const char* feed_20 =
    R"({"resultsPerPage": 2, "format": "NVD_CVE", "version": "2.0", "vulnerabilities": [
 {"cve": {"id": "CVE-2024-3400", "sourceIdentifier": "psirt@paloaltonetworks.com", "published": "2024-04-12T08:15:06.230",
          "lastModified": "2024-04-19T01:00:01.597", "vulnStatus": "Analyzed",
          "descriptions": [{"lang": "es", "value": "Una inyección"}, {"lang": "en", "value": "A command injection vulnerability in GlobalProtect."}],
          "metrics": {"cvssMetricV31": [{"source": "other@example.org", "type": "Secondary", "cvssData": {"version": "3.1", "vectorString": "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:L/A:L", "baseScore": 5.6, "baseSeverity": "MEDIUM"}},
                                          {"source": "nvd@nist.gov", "type": "Primary", "cvssData": {"version": "3.1", "vectorString": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", "baseScore": 10.0, "baseSeverity": "CRITICAL"}, "exploitabilityScore": 3.9, "impactScore": 6.0}]},
          "weaknesses": [{"source": "nvd@nist.gov", "type": "Primary", "description": [{"lang": "en", "value": "CWE-77"}]}, {"type": "Secondary", "description": [{"lang": "en", "value": "CWE-20"}, {"lang": "en", "value": "CWE-77"}]}],
          "configurations": [{"nodes": [{"operator": "OR", "negate": false, "cpeMatch": [{"vulnerable": true, "criteria": "cpe:2.3:o:paloaltonetworks:pan-os:11.1.0:*:*:*:*:*:*:*", "matchCriteriaId": "X"}]}]}],
          "references": [{"url": "https://security.paloaltonetworks.com/CVE-2024-3400", "tags": ["Vendor Advisory"]}]}},
 {"cve": {"id": "CVE-2024-0001", "published": "2024-01-01T00:00:00.000", "lastModified": "2024-01-02T00:00:00.000", "vulnStatus": "Rejected",
          "descriptions": [{"lang": "en", "value": "Rejected reason: duplicate."}]}}
]})";

struct temp_dir {
  std::filesystem::path path = std::filesystem::temp_directory_path() /
                               ("qs-nvd-" + std::to_string(::getpid()) + "-" +
                                std::to_string(reinterpret_cast<std::uintptr_t>(this)));
  temp_dir() { std::filesystem::create_directories(path); }
  ~temp_dir() { std::filesystem::remove_all(path); }
  std::string write(const std::string& name, const std::string& bytes) const {
    auto p = path / name;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << bytes;
    return p.string();
  }
};

feed parsed(const char* text) {
  auto f = parse_nvd_feed(text);
  REQUIRE(std::holds_alternative<feed>(f));
  return std::get<feed>(f);
}

} // namespace

TEST_CASE("an NVD 1.1 feed gives each CVE's publication-time facts, nested CPEs included") {
  const auto f = parsed(feed_11);
  CHECK(f.format == "NVD JSON 1.1");
  REQUIRE(f.cves.size() == 2);
  CHECK(f.skipped == 1);
  const auto& c = f.cves[0];
  CHECK(c.id == "CVE-2017-0144");
  CHECK(c.assigner == "secure@microsoft.com");
  CHECK(c.description == "The SMBv1 server allows remote attackers to execute arbitrary code.");
  CHECK(c.cwes == std::vector<std::string>{"CWE-20"});
  REQUIRE(c.cvss3);
  CHECK(c.cvss3->vector == "CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H");
  CHECK(c.cvss3->base_score == 8.1);
  CHECK(c.cvss3->exploitability == 2.2);
  CHECK(c.cvss3->severity == "HIGH");
  REQUIRE(c.cvss2);
  CHECK(c.cvss2->base_score == 9.3);
  CHECK(c.cvss2->severity == "HIGH");
  CHECK(c.cpes == std::vector<std::string>{"cpe:2.3:o:microsoft:windows_7:-:sp1:*:*:*:*:*:*"});
  CHECK(c.cpe_matches == 2);
  CHECK(c.last_modified == "2019-10-03T00:03Z");
  CHECK_FALSE(c.rejected);
  CHECK(f.cves[1].rejected);
  CHECK_FALSE(f.cves[1].cvss3);
}

TEST_CASE("an NVD CVE API 2.0 answer is read too: primary metrics, English text, rejected") {
  const auto f = parsed(feed_20);
  CHECK(f.format == "NVD CVE API 2.0");
  REQUIRE(f.cves.size() == 2);
  const auto& c = f.cves[0];
  CHECK(c.id == "CVE-2024-3400");
  CHECK(c.assigner == "psirt@paloaltonetworks.com");
  CHECK(c.description == "A command injection vulnerability in GlobalProtect.");
  REQUIRE(c.cvss3);
  CHECK(c.cvss3->base_score == 10.0); // the Primary entry, not the first
  CHECK(c.cvss3->vector == "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H");
  CHECK_FALSE(c.cvss2);
  CHECK(c.cwes == std::vector<std::string>{"CWE-77", "CWE-20"});
  CHECK(c.cpes ==
        std::vector<std::string>{"cpe:2.3:o:paloaltonetworks:pan-os:11.1.0:*:*:*:*:*:*:*"});
  CHECK(c.published == "2024-04-12T08:15:06.230");
  CHECK(f.cves[1].rejected);
  CHECK(cve_year(c.id) == 2024);
  CHECK(cve_year("GHSA-xxxx") == 0);
}

TEST_CASE("feeds are read gzip or plain, folders recursively, and bad files are named") {
  temp_dir dir;
  const auto plain = dir.write("a/nvdcve-1.1-2017.json", feed_11);
  const auto gz = dir.write("b/page-1.json.gz", gzip(feed_20));
  dir.write("b/README.txt", "not a feed");
  auto files = feed_files({dir.path.string()});
  REQUIRE(std::holds_alternative<std::vector<std::string>>(files));
  CHECK(std::get<std::vector<std::string>>(files) == std::vector<std::string>{plain, gz});
  auto read = read_nvd_feed(gz);
  REQUIRE(std::holds_alternative<feed>(read));
  CHECK(std::get<feed>(read).cves.size() == 2);

  const auto broken = dir.write("c/broken.json", "{\"CVE_Items\": [");
  auto bad = read_nvd_feed(broken);
  REQUIRE(std::holds_alternative<std::string>(bad));
  CHECK_THAT(std::get<std::string>(bad), Catch::StartsWith(broken + ": not JSON"));
  auto other = parse_nvd_feed(R"({"hello": 1})");
  REQUIRE(std::holds_alternative<std::string>(other));
  CHECK_THAT(std::get<std::string>(other), Catch::Contains("neither"));
  auto missing = feed_files({(dir.path / "nowhere").string()});
  REQUIRE(std::holds_alternative<std::string>(missing));
  CHECK_THAT(std::get<std::string>(missing), Catch::Contains("no such file or folder"));
  auto truncated = maybe_gunzip(gzip(feed_20).substr(0, 40));
  CHECK(truncated.error == "truncated or corrupt gzip data");
}

TEST_CASE("a KEV catalogue gives the exploited CVE ids") {
  auto kev = parse_kev(R"({"title": "CISA KEV", "catalogVersion": "2025.08.25", "count": 2,
    "vulnerabilities": [{"cveID": "CVE-2017-0144", "vendorProject": "Microsoft", "product": "SMBv1",
                         "dateAdded": "2022-02-10", "knownRansomwareCampaignUse": "Known"},
                        {"cveID": "CVE-2014-0160", "dateAdded": "2022-05-04"}, {"notes": "no id"}]})");
  REQUIRE(std::holds_alternative<kev_catalog>(kev));
  const auto& k = std::get<kev_catalog>(kev);
  CHECK(k.version == "2025.08.25");
  CHECK(k.entries.size() == 2);
  CHECK(k.contains("CVE-2017-0144"));
  CHECK(k.entries.at("CVE-2017-0144").ransomware);
  CHECK_FALSE(k.contains("CVE-2017-0145"));
  CHECK(std::holds_alternative<std::string>(parse_kev(R"({"vulnerabilities": 3})")));
}
