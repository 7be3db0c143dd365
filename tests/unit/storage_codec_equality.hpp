// Comparisons for the storage codec's tests only: every field of each record and
// call, so that `==` is "field for field".
#pragma once

#include "runtime/storage/requests.hpp"

namespace qs::runtime::storage {
inline bool operator==(const entry_summary& a, const entry_summary& b) {
  return a.asset_type == b.asset_type && a.findings == b.findings &&
         a.quantum_risk == b.quantum_risk && a.threat_score == b.threat_score &&
         a.is_anomaly == b.is_anomaly && a.scan_job == b.scan_job && a.kind == b.kind &&
         a.post_quantum == b.post_quantum && a.not_after == b.not_after &&
         a.vulnerable == b.vulnerable && a.top_probability == b.top_probability &&
         a.top_title == b.top_title && a.top_cve == b.top_cve &&
         a.top_known_exploited == b.top_known_exploited;
}
inline bool operator==(const entry& a, const entry& b) {
  return a.id == b.id && a.asset_id == b.asset_id && a.request_id == b.request_id &&
         a.operation == b.operation && a.scan_timestamp == b.scan_timestamp &&
         a.stored_at == b.stored_at && a.scan_result == b.scan_result &&
         a.prediction == b.prediction && a.anomaly == b.anomaly && a.summary == b.summary;
}
inline bool operator==(const asset_row& a, const asset_row& b) {
  return a.asset_id == b.asset_id && a.last_entry == b.last_entry && a.entries == b.entries &&
         a.last_seen == b.last_seen && a.scan_timestamp == b.scan_timestamp && a.risk == b.risk &&
         a.summary == b.summary;
}
inline bool operator==(const asset_query& a, const asset_query& b) {
  return a.offset == b.offset && a.limit == b.limit && a.sort == b.sort &&
         a.descending == b.descending && a.search == b.search && a.risk_level == b.risk_level;
}
inline bool operator==(const asset_list& a, const asset_list& b) {
  return a.assets == b.assets && a.total == b.total;
}
inline bool operator==(const named_count& a, const named_count& b) {
  return a.name == b.name && a.count == b.count;
}
inline bool operator==(const estate_overview& a, const estate_overview& b) {
  return a.assets == b.assets && a.by_risk_level == b.by_risk_level &&
         a.vulnerable_algorithms == b.vulnerable_algorithms && a.tls_endpoints == b.tls_endpoints &&
         a.tls_with_post_quantum == b.tls_with_post_quantum &&
         a.certificates_expiring == b.certificates_expiring &&
         a.most_likely_exploited == b.most_likely_exploited;
}
inline bool operator==(const idempotent_answer& a, const idempotent_answer& b) {
  return a.key == b.key && a.route == b.route && a.status == b.status && a.body == b.body &&
         a.fingerprint == b.fingerprint;
}
inline bool operator==(const training_example& a, const training_example& b) {
  return a.asset_id == b.asset_id && a.scan_result == b.scan_result && a.exploited == b.exploited &&
         a.stored_at == b.stored_at;
}
inline bool operator==(const stored_model& a, const stored_model& b) {
  return a.version == b.version && a.kind == b.kind && a.created_at == b.created_at &&
         a.metrics == b.metrics && a.model == b.model;
}
inline bool operator==(const write_batch& a, const write_batch& b) {
  return a.request_id == b.request_id && a.entries == b.entries && a.examples == b.examples &&
         a.answer == b.answer;
}
inline bool operator==(const history_page& a, const history_page& b) {
  return a.entries == b.entries && a.total == b.total && a.next == b.next;
}
inline bool operator==(const scan_job& a, const scan_job& b) {
  return a.id == b.id && a.status == b.status && a.request == b.request && a.total == b.total &&
         a.done == b.done && a.error == b.error && a.owner == b.owner &&
         a.created_at == b.created_at && a.updated_at == b.updated_at;
}
inline bool operator==(const scan_result_row& a, const scan_result_row& b) {
  return a.position == b.position && a.target == b.target && a.result == b.result;
}
inline bool operator==(const training_counts& a, const training_counts& b) {
  return a.examples == b.examples && a.labelled == b.labelled && a.positives == b.positives;
}
inline bool operator==(const schedule& a, const schedule& b) {
  return a.id == b.id && a.name == b.name && a.request == b.request && a.owner == b.owner &&
         a.created_at == b.created_at && a.next_run == b.next_run && a.last_scan == b.last_scan &&
         a.last_run_at == b.last_run_at;
}
inline bool operator==(const scan_job_page& a, const scan_job_page& b) {
  return a.jobs == b.jobs && a.total == b.total;
}

namespace ask {
inline bool operator==(const find_answer& a, const find_answer& b) {
  return a.key == b.key;
}
inline bool operator==(const history& a, const history& b) {
  return a.asset_id == b.asset_id && a.limit == b.limit && a.cursor == b.cursor;
}
inline bool operator==(const latest& a, const latest& b) {
  return a.asset_id == b.asset_id;
}
inline bool operator==(const judged_scans& a, const judged_scans& b) {
  return a.asset_ids == b.asset_ids && a.max_scans == b.max_scans;
}
inline bool operator==(const store_model& a, const store_model& b) {
  return a.model == b.model;
}
inline bool operator==(const latest_model& a, const latest_model& b) {
  return a.kind == b.kind;
}
inline bool operator==(const list_models& a, const list_models& b) {
  return a.kind == b.kind;
}
inline bool operator==(const count_training&, const count_training&) {
  return true;
}
inline bool operator==(const labelled_examples& a, const labelled_examples& b) {
  return a.limit == b.limit;
}
inline bool operator==(const create_scan_job& a, const create_scan_job& b) {
  return a.job == b.job;
}
inline bool operator==(const store_scan_results& a, const store_scan_results& b) {
  return a.job_id == b.job_id && a.rows == b.rows;
}
inline bool operator==(const finish_scan_job& a, const finish_scan_job& b) {
  return a.job_id == b.job_id && a.status == b.status && a.error == b.error;
}
inline bool operator==(const find_scan_job& a, const find_scan_job& b) {
  return a.id == b.id;
}
inline bool operator==(const scan_results& a, const scan_results& b) {
  return a.job_id == b.job_id && a.after == b.after && a.limit == b.limit;
}
inline bool operator==(const unfinished_scan_jobs&, const unfinished_scan_jobs&) {
  return true;
}
inline bool operator==(const find_entry& a, const find_entry& b) {
  return a.asset_id == b.asset_id && a.id == b.id;
}
inline bool operator==(const list_assets& a, const list_assets& b) {
  return a.query == b.query;
}
inline bool operator==(const overview& a, const overview& b) {
  return a.expiring_before == b.expiring_before && a.most == b.most;
}
inline bool operator==(const list_scan_jobs& a, const list_scan_jobs& b) {
  return a.offset == b.offset && a.limit == b.limit && a.status == b.status;
}
inline bool operator==(const create_schedule& a, const create_schedule& b) {
  return a.value == b.value;
}
inline bool operator==(const list_schedules&, const list_schedules&) {
  return true;
}
inline bool operator==(const find_schedule& a, const find_schedule& b) {
  return a.id == b.id;
}
inline bool operator==(const delete_schedule& a, const delete_schedule& b) {
  return a.id == b.id;
}
inline bool operator==(const claim_schedule_run& a, const claim_schedule_run& b) {
  return a.id == b.id && a.due == b.due && a.next_run == b.next_run && a.job == b.job;
}
} // namespace ask
} // namespace qs::runtime::storage
