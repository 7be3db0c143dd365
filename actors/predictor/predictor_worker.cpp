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
        std::vector<const protocol::scan_result*> results;
        results.reserve(task.indices.size());
        for (auto i : task.indices)
          results.push_back(&task.work->results[i]);
        out.items = model->predict_batch(results);
        return out;
      },
  };
}

} // namespace qs::actors
