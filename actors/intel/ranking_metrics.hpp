// How well scores rank the exploited (label 1) above the rest: ROC-AUC
// (ties count half), average precision (the area under precision-recall, as
// scikit-learn computes it: sum over positives of precision at each distinct
// score), precision and recall when flagging the top share, and a reliability
// table for calibration. Pure; O(n log n).
#pragma once

#include <vector>

namespace qs::intel {

struct scored {
  double score;
  bool positive;
};

double roc_auc(std::vector<scored> items);
double average_precision(std::vector<scored> items);

struct flagged {
  double share = 0;      ///< of all items flagged
  std::size_t count = 0; ///< items flagged (the top `share`, ties at the cut included)
  double precision = 0;
  double recall = 0;
};
flagged flag_top(std::vector<scored> items, double share);

/// Flags every item whose score is at least `threshold` (e.g. CVSS >= 7).
flagged flag_at_least(const std::vector<scored>& items, double threshold);

struct reliability_bin {
  double low, high; ///< predicted probability range [low, high)
  std::size_t count = 0;
  double mean_predicted = 0;
  double observed = 0; ///< share of positives
};
/// Bins by predicted probability with the given upper edges (the last bin ends at 1).
std::vector<reliability_bin> reliability(const std::vector<scored>& items,
                                         const std::vector<double>& edges);

} // namespace qs::intel
