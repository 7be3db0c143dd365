#include <climits>

#include "runtime/storage/sql_stores.hpp"

namespace qs::runtime::storage {

namespace {

const char* const job_columns =
    "SELECT id, status, request, total, done, error, owner, created_at, updated_at FROM scan_jobs ";

scan_job read_job(sql::rows& rows, std::size_t r) {
  scan_job j;
  j.id = rows.take(r, 0);
  j.status = rows.take(r, 1);
  j.request = rows.take(r, 2);
  j.total = rows.integer(r, 3);
  j.done = rows.integer(r, 4);
  j.error = rows.take(r, 5);
  j.owner = rows.take(r, 6);
  j.created_at = rows.take(r, 7);
  j.updated_at = rows.take(r, 8);
  return j;
}

const char* const schedule_columns = "SELECT id, name, request, owner, created_at, next_run,"
                                     " last_scan, last_run_at FROM schedules ";

schedule read_schedule(sql::rows& rows, std::size_t r) {
  schedule s;
  s.id = rows.take(r, 0);
  s.name = rows.take(r, 1);
  s.request = rows.take(r, 2);
  s.owner = rows.take(r, 3);
  s.created_at = rows.take(r, 4);
  s.next_run = rows.integer(r, 5);
  s.last_scan = rows.take(r, 6);
  s.last_run_at = rows.take(r, 7);
  return s;
}

const char* const insert_job =
    "INSERT INTO scan_jobs (id, status, request, total, done, error, owner, created_at,"
    " updated_at) VALUES (?1, ?2, ?3, ?4, 0, ?5, ?6, ?7, ?7) ON CONFLICT (id) DO NOTHING";

sql::params job_values(const scan_job& job, const std::string& now) {
  sql::params p;
  p.text(job.id).text(job.status).text(job.request).integer(job.total).text(job.error);
  p.text(job.owner).text(now);
  return p;
}

class sql_scan_jobs final : public scan_job_store {
public:
  explicit sql_scan_jobs(std::shared_ptr<connections> db) : db_(std::move(db)) {}

  expected<void> create_scan_job(const scan_job& job) override {
    const auto now = job.created_at.empty() ? sql::now_iso8601() : job.created_at;
    auto& c = *db_->writer;
    std::lock_guard lock(c.mutex);
    auto done = c.execute(insert_job, job_values(job, now));
    if (!done)
      return done.error();
    return {};
  }

  expected<void> store_scan_results(const std::string& job_id,
                                    const std::vector<scan_result_row>& rows) override {
    auto txn = sql::transaction::begin(*db_->writer, sql::access::write);
    if (!txn)
      return txn.error();
    for (const auto& row : rows)
      if (auto done = (*txn)->execute(
              "INSERT INTO scan_results (job_id, position, target, result)"
              " VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
              sql::params().text(job_id).integer(row.position).text(row.target).text(row.result));
          !done)
        return done.error();
    // `done` counts targets: a folder target's files share position / 2^20.
    const std::string now = sql::now_iso8601();
    if (auto done = (*txn)->execute(
            "UPDATE scan_jobs SET done = (SELECT COUNT(DISTINCT position / 1048576) FROM"
            " scan_results WHERE job_id = ?1), status = CASE WHEN status = 'queued' THEN"
            " 'running' ELSE status END, updated_at = ?2 WHERE id = ?1",
            sql::params().text(job_id).text(now));
        !done)
      return done.error();
    return txn->commit();
  }

  expected<void> finish_scan_job(const std::string& job_id, const std::string& status,
                                 const std::string& error) override {
    const std::string now = sql::now_iso8601();
    auto& c = *db_->writer;
    std::lock_guard lock(c.mutex);
    auto done = c.execute("UPDATE scan_jobs SET status = ?2, error = ?3, updated_at = ?4"
                          " WHERE id = ?1",
                          sql::params().text(job_id).text(status).text(error).text(now));
    if (!done)
      return done.error();
    return {};
  }

  expected<std::optional<scan_job>> find_scan_job(const std::string& id) override {
    auto& c = db_->read();
    std::lock_guard lock(c.mutex);
    auto rows = c.query(std::string(job_columns) + "WHERE id = ?1", sql::params().text(id));
    if (!rows)
      return rows.error();
    if (rows->empty())
      return std::optional<scan_job>();
    return std::optional<scan_job>(read_job(*rows, 0));
  }

  expected<std::vector<scan_result_row>> scan_results(const std::string& job_id, std::int64_t after,
                                                      std::size_t limit) override {
    auto& c = db_->read();
    std::lock_guard lock(c.mutex);
    auto rows = c.query("SELECT position, target, result FROM scan_results WHERE job_id = ?1"
                        " AND position > ?2 ORDER BY position LIMIT ?3",
                        sql::params().text(job_id).integer(after).integer(
                            static_cast<std::int64_t>(std::min<std::size_t>(limit, INT_MAX))));
    if (!rows)
      return rows.error();
    std::vector<scan_result_row> out;
    out.reserve(rows->size());
    for (std::size_t r = 0; r < rows->size(); ++r)
      out.push_back({rows->integer(r, 0), rows->take(r, 1), rows->take(r, 2)});
    return out;
  }

  expected<std::vector<scan_job>> unfinished_scan_jobs() override {
    auto& c = db_->read();
    std::lock_guard lock(c.mutex);
    auto rows = c.query(std::string(job_columns) +
                        "WHERE status IN ('queued', 'running') ORDER BY created_at");
    if (!rows)
      return rows.error();
    std::vector<scan_job> jobs;
    for (std::size_t r = 0; r < rows->size(); ++r)
      jobs.push_back(read_job(*rows, r));
    return jobs;
  }

  expected<scan_job_page> list_scan_jobs(std::int64_t offset, std::int64_t limit,
                                         const std::string& status) override {
    if (offset < 0 || limit < 1)
      return qs::error(errc::invalid_argument, "a page starts at 0 or later and holds a job");
    auto txn = sql::transaction::begin(db_->read(), sql::access::read);
    if (!txn)
      return txn.error();
    const std::string where = status.empty() ? "WHERE ?1 = ''" : "WHERE status = ?1";
    auto rows = (*txn)->query(std::string(job_columns) + where +
                                  " ORDER BY created_at DESC, id DESC LIMIT ?2 OFFSET ?3",
                              sql::params().text(status).integer(limit).integer(offset));
    if (!rows)
      return rows.error();
    auto total =
        (*txn)->query("SELECT COUNT(*) FROM scan_jobs " + where, sql::params().text(status));
    if (!total)
      return total.error();
    if (auto done = txn->commit(); !done)
      return done.error();
    scan_job_page page;
    page.total = total->integer(0, 0);
    for (std::size_t r = 0; r < rows->size(); ++r)
      page.jobs.push_back(read_job(*rows, r));
    return page;
  }

  expected<void> create_schedule(const schedule& s) override {
    auto& c = *db_->writer;
    std::lock_guard lock(c.mutex);
    auto done = c.execute("INSERT INTO schedules (id, name, request, owner, created_at, next_run,"
                          " last_scan, last_run_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
                          " ON CONFLICT (id) DO NOTHING",
                          sql::params()
                              .text(s.id)
                              .text(s.name)
                              .text(s.request)
                              .text(s.owner)
                              .text(s.created_at)
                              .integer(s.next_run)
                              .text(s.last_scan)
                              .text(s.last_run_at));
    if (!done)
      return done.error();
    return {};
  }

  expected<std::vector<schedule>> list_schedules() override {
    auto& c = db_->read();
    std::lock_guard lock(c.mutex);
    auto rows = c.query(std::string(schedule_columns) + "ORDER BY created_at, id");
    if (!rows)
      return rows.error();
    std::vector<schedule> out;
    for (std::size_t r = 0; r < rows->size(); ++r)
      out.push_back(read_schedule(*rows, r));
    return out;
  }

  expected<std::optional<schedule>> find_schedule(const std::string& id) override {
    auto& c = db_->read();
    std::lock_guard lock(c.mutex);
    auto rows = c.query(std::string(schedule_columns) + "WHERE id = ?1", sql::params().text(id));
    if (!rows)
      return rows.error();
    if (rows->empty())
      return std::optional<schedule>();
    return std::optional<schedule>(read_schedule(*rows, 0));
  }

  expected<bool> delete_schedule(const std::string& id) override {
    auto& c = *db_->writer;
    std::lock_guard lock(c.mutex);
    auto done = c.execute("DELETE FROM schedules WHERE id = ?1", sql::params().text(id));
    if (!done)
      return done.error();
    return *done > 0;
  }

  expected<bool> claim_schedule_run(const std::string& id, std::int64_t due, std::int64_t next_run,
                                    const std::optional<scan_job>& job) override {
    auto txn = sql::transaction::begin(*db_->writer, sql::access::write);
    if (!txn)
      return txn.error();
    const std::string now = sql::now_iso8601();
    sql::params values;
    values.text(id).integer(due).integer(next_run);
    if (job)
      values.text(job->id).text(now);
    auto claimed =
        (*txn)->execute(job ? "UPDATE schedules SET next_run = ?3, last_scan = ?4, last_run_at = ?5"
                              " WHERE id = ?1 AND next_run = ?2"
                            : "UPDATE schedules SET next_run = ?3 WHERE id = ?1 AND next_run = ?2",
                        values);
    if (!claimed)
      return claimed.error();
    if (*claimed == 0)
      return false; // nothing written: the transaction ends without a commit
    if (job)
      if (auto made = (*txn)->execute(insert_job, job_values(*job, now)); !made)
        return made.error();
    if (auto done = txn->commit(); !done)
      return done.error();
    return true;
  }

private:
  std::shared_ptr<connections> db_;
};

} // namespace

std::shared_ptr<scan_job_store> sql_scan_job_store(std::shared_ptr<connections> db) {
  return std::make_shared<sql_scan_jobs>(std::move(db));
}

} // namespace qs::runtime::storage
