// One CVE as the catalogue keeps it: only what NVD says about it at publication
// (CVSS, CWE, CPE configurations, description, assigner) plus its dates. What a
// feed records later (references, their tags, KEV fields) is not kept, so it can
// never leak into a model's features. Read from NVD feeds by `nvd_feed.hpp`.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

namespace qs::intel {

struct cvss_metric {
  std::string vector; ///< "CVSS:3.1/AV:N/..." or v2 "AV:N/AC:L/Au:N/C:P/I:P/A:P"
  double base_score = 0;
  std::optional<double> exploitability;
  std::optional<double> impact;
  std::string severity; ///< "CRITICAL", "HIGH", ... as NVD gives it; may be empty
};

/// CVSS v2 flags NVD sets beside the v2 vector.
struct cvss2_flags {
  bool ac_insuf_info = false;
  bool obtain_all_privilege = false;
  bool obtain_user_privilege = false;
  bool obtain_other_privilege = false;
  bool user_interaction_required = false;
};

struct cve_record {
  std::string id;        ///< "CVE-2017-0144"
  std::string published; ///< as the feed writes it ("2017-03-17T00:59Z", "2017-03-17T00:59:00.000")
  std::string last_modified; ///< same format; the newer one wins on import
  std::string assigner;      ///< "secure@microsoft.com"; a UUID in some 2.0 records
  std::string description;   ///< English text
  bool rejected = false;     ///< "** REJECT **" (1.1) or vulnStatus "Rejected" (2.0)
  std::optional<cvss_metric> cvss3;
  std::optional<cvss_metric> cvss2;
  cvss2_flags v2_flags;
  std::vector<std::string> cwes; ///< "CWE-79", "NVD-CWE-Other", "NVD-CWE-noinfo"
  std::vector<std::string> cpes; ///< vulnerable cpe:2.3 match strings, configuration order
  std::size_t cpe_matches = 0;   ///< every cpe match in the configurations, vulnerable or not
};

/// The year in a CVE id ("CVE-2017-0144" -> 2017), or 0 when it has none.
int cve_year(const std::string& id);

/// The record as JSON (the catalogue's stored form and GET /v1/cves/{id}'s "cve").
boost::json::object to_json(const cve_record& r);
/// Reads what `to_json` wrote; members it does not find keep their defaults.
cve_record cve_from_json(const boost::json::object& o);

} // namespace qs::intel
