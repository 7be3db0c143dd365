// A prior in log-odds from a row's CVSS score, added to the trees' margin:
// slope x (score - centre). The trees learn on top of it (it is XGBoost's
// base margin in training) and every prediction adds it again, so a CVE of a
// vendor or product the training years never saw still ranks by its severity
// rather than only by words and names learned from other eras. The score is
// the row's era-independent CVSS score (v2 where NVD gave it, else v3; a
// finding's own score), else its severity's typical score, else 0 (no CVSS at
// all: in NVD, rejected and unanalysed entries). Pure; a value.
#pragma once

#include <boost/json/object.hpp>

#include "actors/intel/exploit_features.hpp"

namespace qs::intel {

struct cvss_prior {
  double slope = 0;  ///< log-odds per CVSS point; 0: no prior
  double centre = 0; ///< where the prior is 0: the training rows' mean score

  /// The score the prior reads from a row of `cve_features` / `finding_features`.
  static double score(const feature_row& row);
  /// slope x (score - centre), in log-odds.
  double offset(const feature_row& row) const {
    return slope == 0 ? 0 : slope * (score(row) - centre);
  }

  /// {"slope", "centre"}; absent or not an object reads as no prior.
  boost::json::object to_json() const;
  static cvss_prior from_json(const boost::json::value* v);
};

} // namespace qs::intel
