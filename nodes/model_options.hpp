// The options of `qscan model train|eval|info|score`, read from the command
// line: files, years, the rolling-origin settings, the feature groups and the
// training settings. Pure.
#pragma once

#include <string>
#include <vector>

#include "actors/intel/exploit_training.hpp"

namespace qs::nodes {

struct model_options {
  std::vector<std::string> nvd;
  std::string kev, out, model, format = "table", predictions;
  long long until = 0, validate_from = 0;
  bool validate_given = false, rolling = false, without_v2 = false, without_cpe = false;
  long long first_origin = 2009;
  std::vector<int> horizons{1, 4};
  intel::train_params params;
  intel::feature_set features = intel::default_features();
};

/// Reads the options after the subcommand into `o`, the other arguments into
/// `positional`; "" when fine, else the problem.
std::string parse_model_options(const std::vector<std::string>& args, std::size_t from,
                                model_options& o, std::vector<std::string>& positional);

} // namespace qs::nodes
