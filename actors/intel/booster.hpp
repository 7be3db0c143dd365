// Gradient-boosted trees through XGBoost 1.7's C API: train on sparse rows,
// save and load the model as XGBoost JSON, predict probabilities and per-feature
// contributions (TreeSHAP, in log-odds). One booster is immutable once built;
// `predict` and `contributions` use XGBoost's in-place prediction, which is
// safe from several threads at once.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "actors/intel/exploit_features.hpp"

namespace qs::intel {

/// Rows in compressed sparse row form, with a label per row when training.
struct sparse_matrix {
  std::vector<std::uint64_t> indptr{0};
  std::vector<std::uint32_t> indices;
  std::vector<float> values;
  std::vector<float> labels;
  std::vector<float> weights; ///< per row when training; empty: all 1
  /// Per row, log-odds added to the trees' margin (in training, on top of the
  /// base rate's); empty: none.
  std::vector<float> margin_offset;

  void add(const feature_row& row, float label = 0);
  std::size_t rows() const { return indptr.size() - 1; }
};

struct train_params {
  std::string booster = "gbtree"; ///< or "gblinear": logistic regression on the same features
  int rounds = 300;
  int max_depth = 4;
  double eta = 0.05;
  double subsample = 0.8;
  double colsample_bytree = 0.5;
  double min_child_weight = 1;
  double lambda = 1;
  double scale_pos_weight = 1; ///< 1 keeps probabilities calibrated
  double half_life = 0;        ///< years: a CVE that many years older counts half; 0: all alike
  /// Token lifts (token_lift.hpp): pseudo-count of base-rate rows, and a half
  /// life in years for the rows counted in the rates (0: all alike).
  double lift_smoothing = 30;
  double lift_half_life = 0;
  /// Log-odds per CVSS point of the prior under the trees (cvss_prior.hpp); 0: none.
  double cvss_slope = 0;
  /// Whether the trees learn on top of the prior (XGBoost's base margin) or
  /// without it, the prior only added to their predictions.
  bool cvss_prior_in_training = true;
  int threads = 0; ///< 0: every core
  std::uint64_t seed = 0;
  const std::atomic<bool>* stop = nullptr; ///< set: training ends with an error at the next round
};

class booster {
public:
  using progress = std::function<void(int round, int rounds)>;

  /// Trains on `data` (labels 0/1); the error names XGBoost's complaint.
  static std::variant<booster, std::string>
  train(const sparse_matrix& data, const train_params& params, const progress& on_round = {});
  /// A model saved by `save`; `threads` bounds each prediction's threads.
  static std::variant<booster, std::string> load(std::string_view model_json, int threads = 1);

  std::string save() const; ///< XGBoost JSON

  /// Probability per row (with the rows' margin offsets, when they have them).
  std::vector<float> predict(const sparse_matrix& rows) const;
  /// Contribution of every feature to one row's log-odds; the last entry is the bias.
  std::vector<float> contributions(const feature_row& row) const;

private:
  struct handle;
  explicit booster(std::shared_ptr<handle> h) : handle_(std::move(h)) {}
  std::vector<float> run(const sparse_matrix& rows, int type, std::size_t per_row) const;
  std::shared_ptr<handle> handle_;
};

} // namespace qs::intel
