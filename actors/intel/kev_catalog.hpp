// CISA's Known Exploited Vulnerabilities catalogue
// (known_exploited_vulnerabilities.json, gzip or plain): which CVEs are known
// to be exploited. Its dates and notes postdate the CVEs: they label, they are
// never features. Pure.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>

namespace qs::intel {

struct kev_entry {
  std::string date_added; ///< "2021-11-03"
  std::string vendor;     ///< vendorProject
  std::string product;
  bool ransomware = false; ///< knownRansomwareCampaignUse == "Known"
};

struct kev_catalog {
  std::string version;                                ///< catalogVersion
  std::unordered_map<std::string, kev_entry> entries; ///< by CVE id
  bool contains(const std::string& cve_id) const { return entries.count(cve_id) != 0; }
};

std::variant<kev_catalog, std::string> parse_kev(std::string_view json);
std::variant<kev_catalog, std::string> read_kev(const std::string& path);

} // namespace qs::intel
