#include "runtime/storage/remote_stores.hpp"

#include <condition_variable>
#include <mutex>

namespace qs::runtime::storage {

namespace {

/// Sends requests and waits for their answers; shared by the remote stores.
class caller {
public:
  caller(storage_transport transport, std::chrono::milliseconds deadline)
      : transport_(std::move(transport)), deadline_(deadline) {}

  /// The answer to `request`, which must hold a `T`.
  template<class T> expected<T> call(storage_request request) {
    struct slot {
      std::mutex mutex;
      std::condition_variable ready;
      std::optional<expected<storage_answer>> answer;
    };
    auto s = std::make_shared<slot>();
    const char* name = name_of(request);
    const auto until = std::chrono::steady_clock::now() + deadline_;
    transport_(std::move(request), until, [s](expected<storage_answer> answer) {
      std::lock_guard lock(s->mutex);
      if (!s->answer)
        s->answer = std::move(answer);
      s->ready.notify_all();
    });
    std::unique_lock lock(s->mutex);
    if (!s->ready.wait_until(lock, until, [&] { return s->answer.has_value(); }))
      return qs::error(errc::timeout, std::string("no persistence node answered ") + name +
                                          " within " + std::to_string(deadline_.count()) + " ms");
    auto& got = *s->answer;
    if (!got)
      return got.error();
    if (auto* value = std::get_if<T>(&*got))
      return std::move(*value);
    return qs::error(errc::corrupt,
                     std::string("a persistence node answered ") + name + " with the wrong kind");
  }

  expected<void> done(storage_request request) {
    auto got = call<std::monostate>(std::move(request));
    if (!got)
      return got.error();
    return {};
  }

private:
  storage_transport transport_;
  std::chrono::milliseconds deadline_;
};

class remote_answers final : public answer_store {
public:
  explicit remote_answers(std::shared_ptr<caller> c) : c_(std::move(c)) {}
  expected<std::optional<idempotent_answer>> find_answer(const std::string& key) override {
    return c_->call<std::optional<idempotent_answer>>(ask::find_answer{key});
  }

private:
  std::shared_ptr<caller> c_;
};

class remote_history final : public history_store {
public:
  explicit remote_history(std::shared_ptr<caller> c) : c_(std::move(c)) {}
  expected<history_page> history(const std::string& asset_id, std::size_t limit,
                                 const std::optional<std::string>& cursor) override {
    return c_->call<history_page>(ask::history{asset_id, limit, cursor});
  }
  expected<std::optional<entry>> latest(const std::string& asset_id) override {
    return c_->call<std::optional<entry>>(ask::latest{asset_id});
  }
  expected<std::vector<std::vector<std::string>>>
  judged_scans(const std::vector<std::string>& asset_ids, std::size_t max_scans) override {
    return c_->call<std::vector<std::vector<std::string>>>(ask::judged_scans{asset_ids, max_scans});
  }
  expected<std::optional<entry>> find_entry(const std::string& asset_id, std::int64_t id) override {
    return c_->call<std::optional<entry>>(ask::find_entry{asset_id, id});
  }

private:
  std::shared_ptr<caller> c_;
};

class remote_models final : public model_store {
public:
  explicit remote_models(std::shared_ptr<caller> c) : c_(std::move(c)) {}
  expected<void> store_model(const stored_model& model) override {
    return c_->done(ask::store_model{model});
  }
  expected<std::optional<stored_model>> latest_model(const std::string& kind) override {
    return c_->call<std::optional<stored_model>>(ask::latest_model{kind});
  }
  expected<std::vector<stored_model>> list_models(const std::string& kind) override {
    return c_->call<std::vector<stored_model>>(ask::list_models{kind});
  }
  expected<training_counts> count_training() override {
    return c_->call<training_counts>(ask::count_training{});
  }
  expected<std::vector<training_example>> labelled_examples(std::size_t limit) override {
    return c_->call<std::vector<training_example>>(ask::labelled_examples{limit});
  }

private:
  std::shared_ptr<caller> c_;
};

class remote_scan_jobs final : public scan_job_store {
public:
  explicit remote_scan_jobs(std::shared_ptr<caller> c) : c_(std::move(c)) {}
  expected<void> create_scan_job(const scan_job& job) override {
    return c_->done(ask::create_scan_job{job});
  }
  expected<void> store_scan_results(const std::string& job_id,
                                    const std::vector<scan_result_row>& rows) override {
    return c_->done(ask::store_scan_results{job_id, rows});
  }
  expected<void> finish_scan_job(const std::string& job_id, const std::string& status,
                                 const std::string& error) override {
    return c_->done(ask::finish_scan_job{job_id, status, error});
  }
  expected<std::optional<scan_job>> find_scan_job(const std::string& id) override {
    return c_->call<std::optional<scan_job>>(ask::find_scan_job{id});
  }
  expected<std::vector<scan_result_row>> scan_results(const std::string& job_id, std::int64_t after,
                                                      std::size_t limit) override {
    return c_->call<std::vector<scan_result_row>>(ask::scan_results{job_id, after, limit});
  }
  expected<std::vector<scan_job>> unfinished_scan_jobs() override {
    return c_->call<std::vector<scan_job>>(ask::unfinished_scan_jobs{});
  }
  expected<scan_job_page> list_scan_jobs(std::int64_t offset, std::int64_t limit,
                                         const std::string& status) override {
    return c_->call<scan_job_page>(ask::list_scan_jobs{offset, limit, status});
  }
  expected<void> create_schedule(const schedule& s) override {
    return c_->done(ask::create_schedule{s});
  }
  expected<std::vector<schedule>> list_schedules() override {
    return c_->call<std::vector<schedule>>(ask::list_schedules{});
  }
  expected<std::optional<schedule>> find_schedule(const std::string& id) override {
    return c_->call<std::optional<schedule>>(ask::find_schedule{id});
  }
  expected<bool> delete_schedule(const std::string& id) override {
    return c_->call<bool>(ask::delete_schedule{id});
  }
  expected<bool> claim_schedule_run(const std::string& id, std::int64_t due, std::int64_t next_run,
                                    const std::optional<scan_job>& job) override {
    return c_->call<bool>(ask::claim_schedule_run{id, due, next_run, job});
  }

private:
  std::shared_ptr<caller> c_;
};

class remote_estate final : public estate_store {
public:
  explicit remote_estate(std::shared_ptr<caller> c) : c_(std::move(c)) {}
  expected<asset_list> list_assets(const asset_query& query) override {
    return c_->call<asset_list>(ask::list_assets{query});
  }
  expected<estate_overview> overview(const std::string& expiring_before,
                                     std::size_t most) override {
    return c_->call<estate_overview>(ask::overview{expiring_before, most});
  }

private:
  std::shared_ptr<caller> c_;
};

} // namespace

stores remote_stores(storage_transport transport, std::chrono::milliseconds deadline) {
  auto c = std::make_shared<caller>(std::move(transport), deadline);
  return {std::make_shared<remote_answers>(c), std::make_shared<remote_history>(c),
          std::make_shared<remote_models>(c), std::make_shared<remote_scan_jobs>(c),
          std::make_shared<remote_estate>(c)};
}

} // namespace qs::runtime::storage
