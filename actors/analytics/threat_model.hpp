// The interface every threat predictor implements: the rule-based v0
// (`rule_threat_model.hpp`) and later the trained models. A model turns one
// asset's scan result into a prediction (threat score, threat types,
// confidence, mitigation steps). Implementations are immutable once built:
// `predict` and `info` are const and may be called from any thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "protocol/answers.hpp"
#include "protocol/scan_result.hpp"

namespace qs::analytics {

struct model_info {
  std::string name;
  std::string version;
  std::optional<double> accuracy;          ///< validation metric; none for rules
  std::optional<std::string> last_trained; ///< ISO 8601; none for rules
  std::string kind;                        ///< "rule-based", "gradient-boosted-trees", ...
  std::string description;
  boost::json::object details; ///< training window, samples, validation metrics; {} for rules
};

class threat_model {
public:
  virtual ~threat_model() = default;
  virtual protocol::prediction predict(const protocol::scan_result& result) const = 0;
  /// Many results at once (a learned model scores all their findings in one call).
  virtual std::vector<protocol::prediction>
  predict_batch(const std::vector<const protocol::scan_result*>& results) const {
    std::vector<protocol::prediction> out;
    out.reserve(results.size());
    for (const auto* r : results)
      out.push_back(predict(*r));
    return out;
  }
  virtual model_info info() const = 0;
};

} // namespace qs::analytics
