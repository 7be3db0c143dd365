#include "actors/coordinator/train_answer.hpp"

#include "protocol/json_writer.hpp"

namespace qs::actors {

runtime::storage::write_batch training_batch(const job& work) {
  runtime::storage::write_batch batch;
  batch.request_id = work.request_id;
  for (const auto& r : work.results) {
    runtime::storage::training_example e;
    e.asset_id = r.asset_id;
    protocol::json_writer doc;
    doc.value(r.document);
    e.scan_result = doc.release();
    e.stored_at = work.received_at;
    for (const auto& v : r.vulnerabilities)
      if (v.exploited)
        e.exploited = e.exploited.value_or(false) || *v.exploited;
    batch.examples.push_back(std::move(e));
  }
  return batch;
}

std::string train_answer_body(const job& work, const runtime::storage::write_batch& batch,
                              const std::string& degraded_reason) {
  std::int64_t labelled = 0, positives = 0;
  for (const auto& e : batch.examples) {
    labelled += e.exploited ? 1 : 0;
    positives += e.exploited.value_or(false) ? 1 : 0;
  }
  protocol::json_writer out;
  out.begin_object();
  out.key("status").value("stored");
  out.key("model_type").value(work.model_type);
  out.key("stored_examples").value(static_cast<std::int64_t>(batch.examples.size()));
  out.key("labelled_examples").value(labelled);
  out.key("exploited_examples").value(positives);
  out.key("retrained").value(false);
  // The threat predictor's live version is added by the bridge, which holds the model.
  if (work.model_type == "anomaly_detector")
    out.key("model_version").value("rules-v0");
  out.key("message").value("Stored the examples for training.");
  out.key("request_id").value(work.request_id);
  out.key("degraded").value(!degraded_reason.empty());
  if (!degraded_reason.empty())
    out.key("degraded_reasons").strings({degraded_reason});
  if (!work.warnings.empty())
    out.key("warnings").strings(work.warnings);
  out.end_object();
  return out.release();
}

} // namespace qs::actors
