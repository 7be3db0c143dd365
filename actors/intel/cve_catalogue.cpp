#include "actors/intel/cve_catalogue.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "runtime/storage/sql/sqlite.hpp"

namespace qs::intel {

namespace sql = runtime::storage::sql;
using runtime::storage::errc;

namespace {

const char* const schema[] = {
    "CREATE TABLE IF NOT EXISTS cves (id TEXT PRIMARY KEY, last_modified TEXT NOT NULL,"
    " record TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS kev (id TEXT PRIMARY KEY, date_added TEXT NOT NULL,"
    " vendor TEXT NOT NULL, product TEXT NOT NULL, ransomware INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS catalogue_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
};

qs::error in_catalogue(const qs::error& why) {
  return {why.code, "CVE catalogue: " + why.message};
}

} // namespace

expected<std::unique_ptr<cve_catalogue>> cve_catalogue::open(const std::string& path) {
  auto db = sql::open_sqlite({path, true, false});
  if (!db)
    return qs::error(db.error().code, "cannot open the CVE catalogue: " + db.error().message);
  for (const char* statement : schema)
    if (auto made = (*db)->execute(statement); !made)
      return qs::error(made.error().code,
                       "cannot prepare the CVE catalogue " + path + ": " + made.error().message);
  return std::unique_ptr<cve_catalogue>(new cve_catalogue(std::move(*db)));
}

expected<import_counts> cve_catalogue::import_cves(const std::vector<cve_record>& cves) {
  auto txn = sql::transaction::begin(*db_, sql::access::write);
  if (!txn)
    return in_catalogue(txn.error());
  auto& c = **txn;
  import_counts counts;
  for (const auto& cve : cves) {
    auto stored =
        c.query("SELECT last_modified FROM cves WHERE id = ?1", sql::params().text(cve.id));
    if (!stored)
      return in_catalogue(stored.error());
    const bool known = !stored->empty();
    if (known && cve.last_modified <= stored->text(0, 0)) {
      ++counts.unchanged;
      continue;
    }
    const std::string record = boost::json::serialize(to_json(cve));
    if (auto put = c.execute("INSERT INTO cves (id, last_modified, record) VALUES (?1, ?2, ?3)"
                             " ON CONFLICT (id) DO UPDATE SET last_modified ="
                             " excluded.last_modified, record = excluded.record",
                             sql::params().text(cve.id).text(cve.last_modified).text(record));
        !put)
      return in_catalogue(put.error());
    ++(known ? counts.updated : counts.added);
  }
  if (auto done = txn->commit(); !done)
    return in_catalogue(done.error());
  return counts;
}

expected<import_counts> cve_catalogue::import_kev(const kev_catalog& kev) {
  auto txn = sql::transaction::begin(*db_, sql::access::write);
  if (!txn)
    return in_catalogue(txn.error());
  auto& c = **txn;
  auto before = c.query("SELECT COUNT(*) FROM kev");
  if (!before)
    return in_catalogue(before.error());
  if (auto cleared = c.execute("DELETE FROM kev"); !cleared)
    return in_catalogue(cleared.error());
  for (const auto& [id, e] : kev.entries)
    if (auto put = c.execute("INSERT INTO kev (id, date_added, vendor, product, ransomware)"
                             " VALUES (?1, ?2, ?3, ?4, ?5)",
                             sql::params()
                                 .text(id)
                                 .text(e.date_added)
                                 .text(e.vendor)
                                 .text(e.product)
                                 .integer(e.ransomware ? 1 : 0));
        !put)
      return in_catalogue(put.error());
  if (auto put = c.execute("INSERT INTO catalogue_meta (key, value) VALUES ('kev_version', ?1)"
                           " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                           sql::params().text(kev.version));
      !put)
    return in_catalogue(put.error());
  if (auto done = txn->commit(); !done)
    return in_catalogue(done.error());
  const auto had = static_cast<std::size_t>(before->integer(0, 0));
  import_counts counts;
  counts.added = kev.entries.size() > had ? kev.entries.size() - had : 0;
  counts.unchanged = kev.entries.size() - counts.added;
  return counts;
}

expected<std::vector<cve_record>> cve_catalogue::records() const {
  auto rows = [&] {
    std::lock_guard lock(db_->mutex);
    return db_->query("SELECT record FROM cves ORDER BY id");
  }();
  if (!rows)
    return in_catalogue(rows.error());
  std::vector<cve_record> out;
  out.reserve(rows->size());
  for (std::size_t r = 0; r < rows->size(); ++r) {
    boost::system::error_code ec;
    auto doc = boost::json::parse(rows->text(r, 0), ec);
    if (!ec && doc.is_object())
      out.push_back(cve_from_json(doc.get_object()));
  }
  return out;
}

expected<kev_catalog> cve_catalogue::kev() const {
  std::lock_guard lock(db_->mutex);
  auto all = db_->query("SELECT id, date_added, vendor, product, ransomware FROM kev");
  if (!all)
    return in_catalogue(all.error());
  auto version = db_->query("SELECT value FROM catalogue_meta WHERE key = 'kev_version'");
  if (!version)
    return in_catalogue(version.error());
  kev_catalog out;
  for (std::size_t r = 0; r < all->size(); ++r)
    out.entries[all->text(r, 0)] = {all->text(r, 1), all->text(r, 2), all->text(r, 3),
                                    all->integer(r, 4) != 0};
  if (!version->empty())
    out.version = version->text(0, 0);
  return out;
}

expected<std::shared_ptr<const cve_snapshot>> cve_catalogue::snapshot() const {
  auto list = records();
  if (!list)
    return list.error();
  auto known = kev();
  if (!known)
    return known.error();
  auto out = std::make_shared<cve_snapshot>();
  out->by_id.reserve(list->size());
  for (auto& r : *list) {
    cve_entry e;
    if (auto it = known->entries.find(r.id); it != known->entries.end()) {
      e.in_kev = true;
      e.kev_date_added = it->second.date_added;
    }
    auto id = r.id;
    e.record = std::move(r);
    out->by_id.emplace(std::move(id), std::move(e));
  }
  return std::shared_ptr<const cve_snapshot>(std::move(out));
}

} // namespace qs::intel
