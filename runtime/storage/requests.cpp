#include "runtime/storage/requests.hpp"

namespace qs::runtime::storage {

namespace {

/// An expected<T> as an expected answer.
template<class T> expected<storage_answer> answer(expected<T> got) {
  if (!got)
    return got.error();
  return storage_answer(std::move(*got));
}

expected<storage_answer> answer(expected<void> got) {
  if (!got)
    return got.error();
  return storage_answer(std::monostate());
}

template<class... F> struct overloaded : F... { using F::operator()...; };
template<class... F> overloaded(F...) -> overloaded<F...>;

} // namespace

expected<storage_answer> serve(const stores& local, const storage_request& request) {
  return std::visit(
      overloaded{
          [&](const ask::find_answer& r) { return answer(local.answers->find_answer(r.key)); },
          [&](const ask::history& r) {
            return answer(local.history->history(r.asset_id, r.limit, r.cursor));
          },
          [&](const ask::latest& r) { return answer(local.history->latest(r.asset_id)); },
          [&](const ask::judged_scans& r) {
            return answer(local.history->judged_scans(r.asset_ids, r.max_scans));
          },
          [&](const ask::store_model& r) { return answer(local.models->store_model(r.model)); },
          [&](const ask::latest_model& r) { return answer(local.models->latest_model(r.kind)); },
          [&](const ask::list_models& r) { return answer(local.models->list_models(r.kind)); },
          [&](const ask::count_training&) { return answer(local.models->count_training()); },
          [&](const ask::labelled_examples& r) {
            return answer(local.models->labelled_examples(r.limit));
          },
          [&](const ask::create_scan_job& r) {
            return answer(local.scan_jobs->create_scan_job(r.job));
          },
          [&](const ask::store_scan_results& r) {
            return answer(local.scan_jobs->store_scan_results(r.job_id, r.rows));
          },
          [&](const ask::finish_scan_job& r) {
            return answer(local.scan_jobs->finish_scan_job(r.job_id, r.status, r.error));
          },
          [&](const ask::find_scan_job& r) { return answer(local.scan_jobs->find_scan_job(r.id)); },
          [&](const ask::scan_results& r) {
            return answer(local.scan_jobs->scan_results(r.job_id, r.after, r.limit));
          },
          [&](const ask::unfinished_scan_jobs&) {
            return answer(local.scan_jobs->unfinished_scan_jobs());
          },
          [&](const ask::find_entry& r) {
            return answer(local.history->find_entry(r.asset_id, r.id));
          },
          [&](const ask::list_assets& r) { return answer(local.estate->list_assets(r.query)); },
          [&](const ask::overview& r) {
            return answer(local.estate->overview(r.expiring_before, r.most));
          },
          [&](const ask::list_scan_jobs& r) {
            return answer(local.scan_jobs->list_scan_jobs(r.offset, r.limit, r.status));
          },
          [&](const ask::create_schedule& r) {
            return answer(local.scan_jobs->create_schedule(r.value));
          },
          [&](const ask::list_schedules&) { return answer(local.scan_jobs->list_schedules()); },
          [&](const ask::find_schedule& r) { return answer(local.scan_jobs->find_schedule(r.id)); },
          [&](const ask::delete_schedule& r) {
            return answer(local.scan_jobs->delete_schedule(r.id));
          },
          [&](const ask::claim_schedule_run& r) {
            return answer(local.scan_jobs->claim_schedule_run(r.id, r.due, r.next_run, r.job));
          },
      },
      request);
}

const char* name_of(const storage_request& request) {
  static const char* const names[] = {"find_answer",
                                      "history",
                                      "latest",
                                      "judged_scans",
                                      "store_model",
                                      "latest_model",
                                      "list_models",
                                      "count_training",
                                      "labelled_examples",
                                      "create_scan_job",
                                      "store_scan_results",
                                      "finish_scan_job",
                                      "find_scan_job",
                                      "scan_results",
                                      "unfinished_scan_jobs",
                                      "find_entry",
                                      "list_assets",
                                      "overview",
                                      "list_scan_jobs",
                                      "create_schedule",
                                      "list_schedules",
                                      "find_schedule",
                                      "delete_schedule",
                                      "claim_schedule_run"};
  return names[request.index()];
}

} // namespace qs::runtime::storage
