#include "actors/anomaly/streaming/detector.hpp"

#include "actors/anomaly/streaming/ensemble.hpp"

namespace qs::streaming {

std::unique_ptr<detector> make_detector(std::string_view name) {
  if (name == "ensemble")
    return std::make_unique<ensemble>();
  if (name == "context")
    return std::make_unique<context_novelty>();
  if (name == "robust-z")
    return std::make_unique<robust_z>(robust_z_params::wide());
  if (name == "seasonal")
    return std::make_unique<seasonal>();
  if (name == "distribution")
    return std::make_unique<distribution_novelty>();
  return nullptr;
}

const std::vector<std::string>& detector_names() {
  static const std::vector<std::string> names{"ensemble", "context", "robust-z", "seasonal",
                                              "distribution"};
  return names;
}

std::string_view default_detector() {
  return "ensemble";
}

} // namespace qs::streaming
