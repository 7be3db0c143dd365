#include "actors/bridge/answer_builder.hpp"

#include "actors/analytics/anomaly_rules.hpp"
#include "actors/analytics/rule_threat_model.hpp"
#include "protocol/answer_codec.hpp"
#include "protocol/json_writer.hpp"
#include "protocol/timestamp.hpp"

namespace qs::actors {

namespace {

template<class T> std::vector<T> present(const std::vector<std::optional<T>>& items) {
  std::vector<T> out;
  for (const auto& item : items)
    if (item)
      out.push_back(*item);
  return out;
}

void write_common(protocol::json_writer& out, const job& work, const job_answers& answers) {
  out.key("request_id").value(work.request_id);
  out.key("degraded").value(answers.degraded);
  if (answers.degraded)
    out.key("degraded_reasons").strings(answers.degraded_reasons);
  if (!work.warnings.empty())
    out.key("warnings").strings(work.warnings);
}

} // namespace

std::string build_answer_body(const job& work, const job_answers& answers,
                              const analytics::risk_weights& weights) {
  protocol::json_writer out;
  out.begin_object();
  const bool want_predictions = work.op != operation::detect_anomalies;
  const bool want_anomalies = work.op != operation::predict;
  if (work.op == operation::enhance) {
    out.key("original_results").begin_array();
    for (const auto& r : work.results)
      out.value(r.document);
    out.end_array();
  }
  if (want_predictions) {
    out.key(work.op == operation::enhance ? "ai_predictions" : "predictions").begin_array();
    for (const auto& p : answers.predictions)
      if (p)
        protocol::write_prediction(out, *p);
    out.end_array();
  }
  if (want_anomalies) {
    out.key(work.op == operation::enhance ? "anomaly_detections" : "anomalies").begin_array();
    for (const auto& a : answers.anomalies)
      if (a)
        protocol::write_anomaly(out, *a);
    out.end_array();
  }
  if (work.op == operation::enhance) {
    out.key("analysis_timestamp").value(protocol::now_iso8601());
    out.key("enhanced_risk_assessment");
    protocol::write_risk(out,
                         analytics::assess_risk(work.quantum_scores, present(answers.predictions),
                                                present(answers.anomalies), weights));
  }
  write_common(out, work, answers);
  out.end_object();
  return out.release();
}

runtime::storage::write_batch build_write_batch(const job& work, const job_answers& answers,
                                                unsigned status, const std::string& body) {
  runtime::storage::write_batch batch;
  batch.request_id = work.request_id;
  batch.entries.reserve(work.results.size());
  for (std::size_t i = 0; i < work.results.size(); ++i) {
    const auto& r = work.results[i];
    runtime::storage::entry e;
    e.asset_id = r.asset_id;
    e.request_id = work.request_id;
    e.operation = to_string(work.op);
    e.scan_timestamp = r.timestamp;
    e.stored_at = work.received_at;
    protocol::json_writer doc;
    doc.value(r.document);
    e.scan_result = doc.release();
    if (i < answers.predictions.size() && answers.predictions[i])
      e.prediction = protocol::encode_prediction(*answers.predictions[i]);
    if (i < answers.anomalies.size() && answers.anomalies[i])
      e.anomaly = protocol::encode_anomaly(*answers.anomalies[i]);
    batch.entries.push_back(std::move(e));
  }
  if (!work.idempotency_key.empty())
    batch.answer =
        runtime::storage::idempotent_answer{work.idempotency_key, work.route, status, body};
  return batch;
}

job_answers answer_locally(const job& work) {
  static const auto model = analytics::make_rule_threat_model();
  job_answers answers;
  std::map<std::string, analytics::posture> seen; // drift within this batch only
  for (const auto& r : work.results) {
    answers.predictions.emplace_back(model->predict(r));
    std::optional<analytics::posture> previous;
    if (auto it = seen.find(r.asset_id); it != seen.end())
      previous = it->second;
    answers.anomalies.emplace_back(analytics::detect_anomalies(r, previous));
    seen[r.asset_id] = analytics::summarize(r);
  }
  return answers;
}

} // namespace qs::actors
