#include "actors/bridge/answer_builder.hpp"

#include "actors/analytics/algorithm.hpp"
#include "actors/analytics/anomaly_rules.hpp"
#include "actors/analytics/rule_threat_model.hpp"
#include "protocol/answer_codec.hpp"
#include "protocol/json_writer.hpp"
#include "protocol/timestamp.hpp"
#include "runtime/storage/asset_state.hpp"

namespace qs::actors {

namespace {

/// The kinds (families) of the public-key algorithms a quantum computer breaks that
/// `r`'s findings name, each once (those broken today too, such as RSA-1024).
std::vector<std::string> vulnerable_kinds(const protocol::scan_result& r) {
  std::vector<std::string> out;
  for (const auto& v : r.vulnerabilities) {
    if (v.algorithm.empty() || v.type == "quantum_safe")
      continue;
    const auto a = analytics::assess_algorithm_cached(v.algorithm);
    const bool public_key = a->kind == analytics::primitive::key_exchange ||
                            a->kind == analytics::primitive::signature ||
                            a->kind == analytics::primitive::public_key_encryption;
    const bool breaks = a->status == analytics::quantum_status::broken_by_shor ||
                        (public_key && a->status == analytics::quantum_status::classically_broken);
    if (breaks && std::find(out.begin(), out.end(), a->family) == out.end())
      out.push_back(a->family);
  }
  return out;
}

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

built_answer build_answer(const job& work, const job_answers& answers,
                          const analytics::risk_weights& weights) {
  // Each part is encoded once and used both in the body and in storage.
  const std::size_t n = work.results.size();
  std::vector<std::string> documents(n), predictions(n), anomalies(n);
  for (std::size_t i = 0; i < n; ++i) {
    protocol::json_writer doc;
    doc.value(work.results[i].document);
    documents[i] = doc.release();
    if (i < answers.predictions.size() && answers.predictions[i])
      predictions[i] = protocol::encode_prediction(*answers.predictions[i]);
    if (i < answers.anomalies.size() && answers.anomalies[i])
      anomalies[i] = protocol::encode_anomaly(*answers.anomalies[i]);
  }
  auto raw_array = [](protocol::json_writer& out, const std::vector<std::string>& items) {
    out.begin_array();
    for (const auto& item : items)
      if (!item.empty())
        out.raw(item);
    out.end_array();
  };

  protocol::json_writer out;
  out.begin_object();
  const bool enhance = work.op == operation::enhance;
  if (enhance) {
    out.key("original_results");
    raw_array(out, documents);
  }
  if (work.op != operation::detect_anomalies) {
    out.key(enhance ? "ai_predictions" : "predictions");
    raw_array(out, predictions);
  }
  if (work.op != operation::predict) {
    out.key(enhance ? "anomaly_detections" : "anomalies");
    raw_array(out, anomalies);
  }
  if (enhance) {
    out.key("analysis_timestamp").value(protocol::now_iso8601());
    out.key("enhanced_risk_assessment");
    protocol::write_risk(out,
                         analytics::assess_risk(work.quantum_scores, present(answers.predictions),
                                                present(answers.anomalies), weights));
  }
  write_common(out, work, answers);
  out.end_object();

  built_answer built;
  built.body = out.release();
  auto& batch = built.batch;
  batch.request_id = work.request_id;
  batch.entries.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto& r = work.results[i];
    runtime::storage::entry e;
    e.asset_id = r.asset_id;
    e.request_id = work.request_id;
    e.operation = to_string(work.op);
    e.scan_timestamp = r.timestamp;
    e.stored_at = work.received_at;
    e.scan_result = std::move(documents[i]);
    e.prediction = std::move(predictions[i]);
    e.anomaly = std::move(anomalies[i]);
    const auto* prediction = i < answers.predictions.size() && answers.predictions[i]
                                 ? &*answers.predictions[i]
                                 : nullptr;
    std::optional<bool> is_anomaly;
    if (i < answers.anomalies.size() && answers.anomalies[i])
      is_anomaly = answers.anomalies[i]->is_anomaly;
    e.summary = runtime::storage::summarize(r.document, prediction, is_anomaly);
    e.summary->vulnerable = vulnerable_kinds(r);
    batch.entries.push_back(std::move(e));
  }
  if (!work.idempotency_key.empty())
    batch.answer = runtime::storage::idempotent_answer{work.idempotency_key, work.route, 200,
                                                       built.body, work.idempotency_fingerprint};
  return built;
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
