#include "actors/predictor/predictor_worker.hpp"

#include "actors/predictor/fault_injection.hpp"

namespace qs::actors {

caf::behavior predictor_worker(caf::event_based_actor*, std::shared_ptr<model_slot> models,
                               bool fault_injection) {
  return {
      [=](predict_atom, const slice& task) {
        maybe_crash(fault_injection, task, "crash-predictor");
        auto model = models->get();
        predictions_outcome out;
        out.indices = task.indices;
        out.items.reserve(task.indices.size());
        for (auto i : task.indices)
          out.items.push_back(model->predict(task.work->results[i]));
        return out;
      },
  };
}

} // namespace qs::actors
