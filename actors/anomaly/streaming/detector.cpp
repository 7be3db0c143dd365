#include "actors/anomaly/streaming/detector.hpp"

#include "actors/anomaly/streaming/ensemble.hpp"

namespace qs::streaming {

std::unique_ptr<detector> make_detector(std::string_view name) {
  if (name == "ensemble")
    return std::make_unique<ensemble>();
  if (name == "context")
    return std::make_unique<context_novelty>();
  if (name == "robust-z") {
    // Alone it needs the wider range of distances the ensemble does not.
    robust_z_params alone;
    alone.cap = 20;
    alone.surprise.decades = 30;
    return std::make_unique<robust_z>(alone);
  }
  if (name == "seasonal")
    return std::make_unique<seasonal>();
  return nullptr;
}

const std::vector<std::string>& detector_names() {
  static const std::vector<std::string> names{"ensemble", "context", "robust-z", "seasonal"};
  return names;
}

std::string_view default_detector() {
  return "ensemble";
}

} // namespace qs::streaming
