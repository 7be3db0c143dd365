#include "runtime/storage/spool.hpp"

#include "runtime/storage/sql/sqlite.hpp"

namespace qs::runtime::storage {

spool::spool(std::unique_ptr<sql::connection> db) : db_(std::move(db)) {}
spool::~spool() = default;

expected<std::unique_ptr<spool>> spool::open(const std::string& path) {
  auto db = sql::open_sqlite({path, true, false});
  if (!db)
    return db.error();
  // Bodies are the wire's CBOR batches, bound as blobs; entries written by a build of
  // protocol version 1 (JSON text) stay and are replayed (actors/cluster/spool_legacy).
  if (auto made = (*db)->execute("CREATE TABLE IF NOT EXISTS spool ("
                                 " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                                 " body TEXT NOT NULL)");
      !made)
    return qs::error(made.error().code,
                     "cannot create the spool in " + path + ": " + made.error().message);
  return std::unique_ptr<spool>(new spool(std::move(*db)));
}

expected<std::int64_t> spool::append(const std::string& body) {
  std::lock_guard lock(db_->mutex);
  auto rows =
      db_->query("INSERT INTO spool (body) VALUES (?1) RETURNING id", sql::params().blob(body));
  if (!rows)
    return rows.error();
  return rows->integer(0, 0);
}

expected<std::vector<spooled>> spool::oldest(std::size_t limit) {
  std::lock_guard lock(db_->mutex);
  auto rows = db_->query("SELECT id, body FROM spool ORDER BY id LIMIT ?1",
                         sql::params().integer(static_cast<std::int64_t>(limit)));
  if (!rows)
    return rows.error();
  std::vector<spooled> out;
  for (std::size_t r = 0; r < rows->size(); ++r)
    out.push_back({rows->integer(r, 0), rows->take(r, 1)});
  return out;
}

expected<bool> spool::remove(std::int64_t id) {
  std::lock_guard lock(db_->mutex);
  auto changed = db_->execute("DELETE FROM spool WHERE id = ?1", sql::params().integer(id));
  if (!changed)
    return changed.error();
  return *changed > 0;
}

expected<std::int64_t> spool::size() {
  std::lock_guard lock(db_->mutex);
  auto rows = db_->query("SELECT COUNT(*) FROM spool");
  if (!rows)
    return rows.error();
  return rows->integer(0, 0);
}

} // namespace qs::runtime::storage
