#include "actors/messages.hpp"

namespace qs::actors {

const char* to_string(operation op) {
  switch (op) {
  case operation::predict:
    return "predict";
  case operation::detect_anomalies:
    return "detect-anomalies";
  case operation::enhance:
    return "enhance";
  case operation::train:
    return "train";
  }
  return "predict";
}

} // namespace qs::actors
