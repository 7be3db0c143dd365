// What the training labels say about each hashed token (vendor, product, CWE,
// description word): its smoothed exploitation rate against the base rate, as
// log-lift, learned from training rows only and stored in the model file. A
// row then gets a few aggregate features (the largest vendor and product lift,
// the sum, largest and smallest word lift, the CWE lift, and how many training
// CVEs, and how many exploited ones, named its vendor and product) that trees use far better than
// tens of thousands of sparse one-hot columns with a few hundred positives. Training rows are given
// lifts learned on the other folds (out of fold), so a row never sees its own label. Pure.
#pragma once

#include <vector>

#include "actors/intel/booster.hpp"
#include "actors/intel/exploit_features.hpp"

#include <boost/json/object.hpp>

namespace qs::intel {

class token_lift {
public:
  /// Learns from rows and their labels; `smoothing` is the pseudo-count of
  /// base-rate rows; `weights` (one per row, or empty for all 1) count some
  /// rows more than others in the rates (never in the CVE counts).
  static token_lift fit(const std::vector<const feature_row*>& rows,
                        const std::vector<bool>& labels, double smoothing = 30,
                        const std::vector<float>& weights = {});

  /// The row with its aggregate features added (labels too, when given).
  feature_row augment(const feature_row& row, feature_labels* labels = nullptr) const;

  /// Augments each training row with lifts fitted on the other folds (row i is
  /// in fold i % folds). Folding by CVE year instead measured worse on 2016-2017.
  static std::vector<feature_row> out_of_fold(const std::vector<const feature_row*>& rows,
                                              const std::vector<bool>& labels, int folds = 5,
                                              double smoothing = 30,
                                              const std::vector<float>& weights = {});

  boost::json::object to_json() const;
  static bool from_json(const boost::json::value& v, token_lift& out);

private:
  std::vector<float> lift_; ///< per feature index, 0 where nothing was learned
  std::vector<float> seen_; ///< per feature index: log(1 + training rows with it)
  std::vector<float>
      exploited_; ///< per feature index: log(1 + exploited rows with it); may be empty
};

} // namespace qs::intel
