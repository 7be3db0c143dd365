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

class sql_scan_jobs final : public scan_job_store {
public:
  explicit sql_scan_jobs(std::shared_ptr<connections> db) : db_(std::move(db)) {}

  expected<void> create_scan_job(const scan_job& job) override {
    const auto now = job.created_at.empty() ? sql::now_iso8601() : job.created_at;
    auto& c = *db_->writer;
    std::lock_guard lock(c.mutex);
    auto done = c.execute(
        "INSERT INTO scan_jobs (id, status, request, total, done, error, owner, created_at,"
        " updated_at) VALUES (?1, ?2, ?3, ?4, 0, ?5, ?6, ?7, ?7) ON CONFLICT (id) DO NOTHING",
        sql::params()
            .text(job.id)
            .text(job.status)
            .text(job.request)
            .integer(job.total)
            .text(job.error)
            .text(job.owner)
            .text(now));
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

private:
  std::shared_ptr<connections> db_;
};

} // namespace

std::shared_ptr<scan_job_store> sql_scan_job_store(std::shared_ptr<connections> db) {
  return std::make_shared<sql_scan_jobs>(std::move(db));
}

} // namespace qs::runtime::storage
