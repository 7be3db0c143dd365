// Validation that predicts the future: rolling origins by year. For each origin
// Y, a model is trained on the CVEs whose ID year is at most Y (token lifts,
// vendor and product priors from those years only) and measured on the CVEs of
// year Y + h for each horizon h, beside the CVSS ranking. The report holds each
// origin's figures, their mean per horizon and the reliability of the
// probabilities pooled over each horizon's test years, so settings and feature
// groups are chosen on the mean across origins, never on one split. Pure apart
// from the time it takes: one training per origin, on every core unless the
// training settings say otherwise.
#pragma once

#include <string>
#include <variant>
#include <vector>

#include <boost/json/object.hpp>

#include "actors/intel/exploit_training.hpp"

namespace qs::intel {

struct rolling_options {
  training_options training; ///< settings and feature groups; its years are not read
  int first_origin = 2009;   ///< the oldest origin Y
  int last_year = 0;         ///< the newest test year; 0: the newest CVE-ID year given
  std::vector<int> horizons{1,
                            4}; ///< test on Y + h for each h, for every Y with Y + h <= last_year
  /// Test CVEs read as NVD has written new CVEs since 2022: without CVSS v2
  /// where they have v3 (training rows are untouched). A check of how a model
  /// reads feeds without v2, not a validation of its own.
  bool test_without_v2 = false;
  /// Test CVEs read as NVD's backlog leaves them: no CPE configurations.
  bool test_without_cpe = false;
  /// Keep every test CVE's probability in the report (`origin_figures::scores`).
  bool keep_scores = false;
};

struct origin_figures {
  int origin = 0, horizon = 0, test_year = 0;
  evaluation figures;
  double expected = 0; ///< the sum of the probabilities: how many exploited the model expects
  /// With `keep_scores`: each test CVE (an index into the CVEs given) and its probability.
  std::vector<std::pair<std::size_t, float>> scores;
};

struct horizon_summary {
  int horizon = 0;
  std::size_t origins = 0;
  /// Means over the origins.
  double auc = 0, cvss_auc = 0, average_precision = 0, cvss_average_precision = 0;
  double top5_recall = 0, cvss_top5_recall = 0;
  /// Sums over the origins' test years.
  double expected = 0;
  std::size_t rows = 0, positives = 0;
  std::vector<reliability_bin> reliability; ///< every origin's test rows pooled
};

struct rolling_report {
  std::vector<origin_figures> origins; ///< by horizon, then origin
  std::vector<horizon_summary> horizons;
  std::vector<std::string> skipped; ///< origins left out, and why
};

std::variant<rolling_report, std::string> rolling_validation(const std::vector<cve_record>& cves,
                                                             const kev_catalog& kev,
                                                             const rolling_options& options,
                                                             const progress_fn& progress = {});

boost::json::object to_json(const rolling_report& r);

} // namespace qs::intel
