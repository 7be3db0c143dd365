#include "runtime/storage/spool.hpp"

#include "runtime/storage/sqlite_connection.hpp"

namespace qs::runtime::storage {

spool::spool(std::unique_ptr<sqlite_connection> db) : db_(std::move(db)) {}
spool::~spool() = default;

result<std::unique_ptr<spool>> spool::open(const std::string& path) {
  auto db = sqlite_connection::open({path, true, 5000}, sqlite_connection::role::writer);
  if (!db)
    return failure{db.error()};
  if (!(*db)->exec("CREATE TABLE IF NOT EXISTS spool ("
                   " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                   " body TEXT NOT NULL)"))
    return failure{"cannot create the spool in " + path + ": " + (*db)->error()};
  return result<std::unique_ptr<spool>>(std::unique_ptr<spool>(new spool(std::move(*db))));
}

result<std::int64_t> spool::append(const std::string& body) {
  std::lock_guard<std::mutex> lock(db_->mutex);
  sqlite3_stmt* stmt = db_->prepare("INSERT INTO spool (body) VALUES (?)");
  if (!stmt)
    return failure{"spool: " + db_->error()};
  statement_use use(stmt);
  bind_text(stmt, 1, body);
  if (sqlite3_step(stmt) != SQLITE_DONE)
    return failure{"spool: cannot append: " + db_->error()};
  return static_cast<std::int64_t>(sqlite3_last_insert_rowid(db_->db()));
}

result<std::vector<spooled>> spool::oldest(std::size_t limit) {
  std::lock_guard<std::mutex> lock(db_->mutex);
  sqlite3_stmt* stmt = db_->prepare("SELECT id, body FROM spool ORDER BY id LIMIT ?");
  if (!stmt)
    return failure{"spool: " + db_->error()};
  statement_use use(stmt);
  sqlite3_bind_int64(stmt, 1, static_cast<sqlite3_int64>(limit));
  std::vector<spooled> out;
  int rc = SQLITE_ROW;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
    out.push_back({sqlite3_column_int64(stmt, 0), column_text(stmt, 1)});
  if (rc != SQLITE_DONE)
    return failure{"spool: cannot read: " + db_->error()};
  return out;
}

result<bool> spool::remove(std::int64_t id) {
  std::lock_guard<std::mutex> lock(db_->mutex);
  sqlite3_stmt* stmt = db_->prepare("DELETE FROM spool WHERE id = ?");
  if (!stmt)
    return failure{"spool: " + db_->error()};
  statement_use use(stmt);
  sqlite3_bind_int64(stmt, 1, id);
  if (sqlite3_step(stmt) != SQLITE_DONE)
    return failure{"spool: cannot remove: " + db_->error()};
  return sqlite3_changes(db_->db()) > 0;
}

result<std::int64_t> spool::size() {
  std::lock_guard<std::mutex> lock(db_->mutex);
  sqlite3_stmt* stmt = db_->prepare("SELECT COUNT(*) FROM spool");
  if (!stmt)
    return failure{"spool: " + db_->error()};
  statement_use use(stmt);
  if (sqlite3_step(stmt) != SQLITE_ROW)
    return failure{"spool: cannot count: " + db_->error()};
  return static_cast<std::int64_t>(sqlite3_column_int64(stmt, 0));
}

} // namespace qs::runtime::storage
