// Holds the threat model every predictor worker uses, so a retrained model can
// be swapped in while workers run. Thread-safe: `get` and `set` lock briefly;
// a worker keeps the model it got for the whole task.
#pragma once

#include <memory>
#include <mutex>

#include "actors/analytics/threat_model.hpp"

namespace qs::actors {

class model_slot {
public:
  explicit model_slot(std::shared_ptr<const analytics::threat_model> model)
      : model_(std::move(model)) {}

  std::shared_ptr<const analytics::threat_model> get() const {
    std::lock_guard<std::mutex> guard(mutex_);
    return model_;
  }

  void set(std::shared_ptr<const analytics::threat_model> model) {
    std::lock_guard<std::mutex> guard(mutex_);
    model_ = std::move(model);
  }

private:
  mutable std::mutex mutex_;
  std::shared_ptr<const analytics::threat_model> model_; // GUARDED_BY(mutex_)
};

} // namespace qs::actors
