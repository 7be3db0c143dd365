// A predictor worker: answers `(predict_atom, slice)` with one prediction per
// scan result of the slice, from the model in the shared slot.
#pragma once

#include <memory>

#include <caf/all.hpp>

#include "actors/predictor/model_slot.hpp"

namespace qs::actors {

caf::behavior predictor_worker(caf::event_based_actor* self, std::shared_ptr<model_slot> models,
                               bool fault_injection);

} // namespace qs::actors
