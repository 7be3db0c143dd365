// Scan jobs in the SQLite back-end: the statements of `storage`'s scan-job
// methods over one connection. The caller holds the connection's mutex (the
// writer's for writes). Used only by sqlite_storage.cpp.
#include "runtime/storage/sqlite_scan_jobs.hpp"

#include <algorithm>
#include <climits>

namespace qs::runtime::storage::sqlite_scan_jobs {

namespace {

// Scan jobs matching `where` (with ?1 bound to `param` when it is not empty).
result<std::vector<scan_job>> read_jobs(sqlite_connection& c, const std::string& where,
                                        const std::string& param) {
  using out = result<std::vector<scan_job>>;
  sqlite3_stmt* stmt = c.prepare("SELECT id, status, request, total, done, error, owner,"
                                 " created_at, updated_at FROM scan_jobs " +
                                 where);
  if (stmt == nullptr)
    return out::failure("cannot read scan jobs: " + c.error());
  statement_use use(stmt);
  if (!param.empty())
    bind_text(stmt, 1, param);
  std::vector<scan_job> jobs;
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    scan_job j;
    j.id = column_text(stmt, 0);
    j.status = column_text(stmt, 1);
    j.request = column_text(stmt, 2);
    j.total = sqlite3_column_int64(stmt, 3);
    j.done = sqlite3_column_int64(stmt, 4);
    j.error = column_text(stmt, 5);
    j.owner = column_text(stmt, 6);
    j.created_at = column_text(stmt, 7);
    j.updated_at = column_text(stmt, 8);
    jobs.push_back(std::move(j));
  }
  if (rc != SQLITE_DONE)
    return out::failure("cannot read scan jobs: " + c.error());
  return jobs;
}

} // namespace

result<done> create_scan_job(sqlite_connection& c, const scan_job& job) {
  sqlite3_stmt* stmt = c.prepare(
      "INSERT INTO scan_jobs (id, status, request, total, done, error, owner, created_at,"
      " updated_at) VALUES (?1, ?2, ?3, ?4, 0, ?5, ?6, ?7, ?7) ON CONFLICT (id) DO NOTHING");
  if (stmt == nullptr)
    return result<done>::failure("cannot create scan job: " + c.error());
  statement_use use(stmt);
  bind_text(stmt, 1, job.id);
  bind_text(stmt, 2, job.status);
  bind_text(stmt, 3, job.request);
  sqlite3_bind_int64(stmt, 4, job.total);
  bind_text(stmt, 5, job.error);
  bind_text(stmt, 6, job.owner);
  bind_text(stmt, 7, job.created_at.empty() ? now_iso8601() : job.created_at);
  if (sqlite3_step(stmt) != SQLITE_DONE)
    return result<done>::failure("cannot create scan job: " + c.error());
  return done{};
}

result<done> store_scan_results(sqlite_connection& c, const std::string& job_id,
                                const std::vector<scan_result_row>& rows) {
  const auto fail = [&c] {
    return result<done>::failure("cannot store scan results: " + c.error());
  };
  rollback_guard guard(c.db());
  if (!c.exec("BEGIN IMMEDIATE"))
    return fail();
  for (const auto& row : rows) {
    sqlite3_stmt* stmt = c.prepare("INSERT INTO scan_results (job_id, position, target, result)"
                                   " VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING");
    if (stmt == nullptr)
      return fail();
    statement_use use(stmt);
    bind_text(stmt, 1, job_id);
    sqlite3_bind_int64(stmt, 2, row.position);
    bind_text(stmt, 3, row.target);
    bind_text(stmt, 4, row.result);
    if (sqlite3_step(stmt) != SQLITE_DONE)
      return fail();
  }
  sqlite3_stmt* stmt = c.prepare(
      "UPDATE scan_jobs SET done = (SELECT COUNT(DISTINCT position / 1048576) FROM scan_results"
      " WHERE job_id = ?1), status = CASE WHEN status = 'queued' THEN 'running' ELSE status END,"
      " updated_at = ?2 WHERE id = ?1");
  if (stmt == nullptr)
    return fail();
  statement_use use(stmt);
  bind_text(stmt, 1, job_id);
  bind_text(stmt, 2, now_iso8601());
  if (sqlite3_step(stmt) != SQLITE_DONE || !c.exec("COMMIT"))
    return fail();
  return done{};
}

result<done> finish_scan_job(sqlite_connection& c, const std::string& job_id,
                             const std::string& status, const std::string& error) {
  sqlite3_stmt* stmt =
      c.prepare("UPDATE scan_jobs SET status = ?2, error = ?3, updated_at = ?4 WHERE id = ?1");
  if (stmt == nullptr)
    return result<done>::failure("cannot finish scan job: " + c.error());
  statement_use use(stmt);
  bind_text(stmt, 1, job_id);
  bind_text(stmt, 2, status);
  bind_text(stmt, 3, error);
  bind_text(stmt, 4, now_iso8601());
  if (sqlite3_step(stmt) != SQLITE_DONE)
    return result<done>::failure("cannot finish scan job: " + c.error());
  return done{};
}

result<std::optional<scan_job>> find_scan_job(sqlite_connection& c, const std::string& id) {
  using out = result<std::optional<scan_job>>;
  auto jobs = read_jobs(c, "WHERE id = ?1", id);
  if (!jobs)
    return out::failure(jobs.error());
  if (jobs->empty())
    return std::optional<scan_job>();
  return std::optional<scan_job>(std::move(jobs->front()));
}

result<std::vector<scan_job>> unfinished_scan_jobs(sqlite_connection& c) {
  return read_jobs(c, "WHERE status IN ('queued', 'running') ORDER BY created_at", "");
}

result<std::vector<scan_result_row>> scan_results(sqlite_connection& c, const std::string& job_id,
                                                  std::int64_t after, std::size_t limit) {
  using out = result<std::vector<scan_result_row>>;
  sqlite3_stmt* stmt = c.prepare("SELECT position, target, result FROM scan_results"
                                 " WHERE job_id = ?1 AND position > ?2 ORDER BY position LIMIT ?3");
  if (stmt == nullptr)
    return out::failure("cannot read scan results: " + c.error());
  statement_use use(stmt);
  bind_text(stmt, 1, job_id);
  sqlite3_bind_int64(stmt, 2, after);
  sqlite3_bind_int64(stmt, 3, static_cast<std::int64_t>(std::min<std::size_t>(limit, INT_MAX)));
  std::vector<scan_result_row> rows;
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
    rows.push_back({sqlite3_column_int64(stmt, 0), column_text(stmt, 1), column_text(stmt, 2)});
  if (rc != SQLITE_DONE)
    return out::failure("cannot read scan results: " + c.error());
  return rows;
}

} // namespace qs::runtime::storage::sqlite_scan_jobs
