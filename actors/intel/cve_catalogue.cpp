#include "actors/intel/cve_catalogue.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace qs::intel {

namespace st = runtime::storage;

namespace {

constexpr const char* schema = R"(
CREATE TABLE IF NOT EXISTS cves (
  id TEXT PRIMARY KEY,
  last_modified TEXT NOT NULL,
  record TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS kev (
  id TEXT PRIMARY KEY,
  date_added TEXT NOT NULL,
  vendor TEXT NOT NULL,
  product TEXT NOT NULL,
  ransomware INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS catalogue_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
)";

st::stmt_handle prepare(sqlite3* db, const char* sql) {
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(db, sql, -1, &s, nullptr);
  return st::stmt_handle(s);
}

std::string column(sqlite3_stmt* s, int i) {
  const auto* t = sqlite3_column_text(s, i);
  return t ? reinterpret_cast<const char*>(t) : "";
}

void put_text(sqlite3_stmt* s, int i, const std::string& v) {
  sqlite3_bind_text(s, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
}

} // namespace

std::string cve_catalogue::error() const {
  return std::string("CVE catalogue: ") + sqlite3_errmsg(db_.get());
}

std::variant<std::unique_ptr<cve_catalogue>, std::string>
cve_catalogue::open(const std::string& path) {
  sqlite3* raw = nullptr;
  const int rc =
      sqlite3_open_v2(path.c_str(), &raw,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  st::db_handle db(raw);
  if (rc != SQLITE_OK)
    return "cannot open the CVE catalogue " + path + ": " +
           (raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc));
  sqlite3_busy_timeout(db.get(), 5000);
  char* why = nullptr;
  if (sqlite3_exec(db.get(), "PRAGMA journal_mode=WAL;", nullptr, nullptr, &why) != SQLITE_OK ||
      sqlite3_exec(db.get(), schema, nullptr, nullptr, &why) != SQLITE_OK) {
    std::string message = "cannot prepare the CVE catalogue " + path + ": " + (why ? why : "");
    sqlite3_free(why);
    return message;
  }
  return std::unique_ptr<cve_catalogue>(new cve_catalogue(std::move(db)));
}

std::variant<import_counts, std::string>
cve_catalogue::import_cves(const std::vector<cve_record>& cves) {
  std::lock_guard<std::mutex> guard(mutex_);
  auto* db = db_.get();
  if (sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK)
    return error();
  st::rollback_guard rollback(db);
  auto find = prepare(db, "SELECT last_modified FROM cves WHERE id = ?");
  auto put = prepare(db, "INSERT INTO cves (id, last_modified, record) VALUES (?, ?, ?) "
                         "ON CONFLICT (id) DO UPDATE SET last_modified = excluded.last_modified, "
                         "record = excluded.record");
  if (!find || !put)
    return error();
  import_counts counts;
  for (const auto& c : cves) {
    std::string stored;
    bool known = false;
    {
      st::statement_use use(find.get());
      put_text(find.get(), 1, c.id);
      if (sqlite3_step(find.get()) == SQLITE_ROW) {
        known = true;
        stored = column(find.get(), 0);
      }
    }
    if (known && c.last_modified <= stored) {
      ++counts.unchanged;
      continue;
    }
    st::statement_use use(put.get());
    put_text(put.get(), 1, c.id);
    put_text(put.get(), 2, c.last_modified);
    put_text(put.get(), 3, boost::json::serialize(to_json(c)));
    if (sqlite3_step(put.get()) != SQLITE_DONE)
      return error();
    ++(known ? counts.updated : counts.added);
  }
  if (sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK)
    return error();
  return counts;
}

std::variant<import_counts, std::string> cve_catalogue::import_kev(const kev_catalog& kev) {
  std::lock_guard<std::mutex> guard(mutex_);
  auto* db = db_.get();
  if (sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK)
    return error();
  st::rollback_guard rollback(db);
  std::size_t before = 0;
  {
    auto count = prepare(db, "SELECT count(*) FROM kev");
    if (count && sqlite3_step(count.get()) == SQLITE_ROW)
      before = static_cast<std::size_t>(sqlite3_column_int64(count.get(), 0));
  }
  auto put = prepare(db, "INSERT INTO kev (id, date_added, vendor, product, ransomware) "
                         "VALUES (?, ?, ?, ?, ?)");
  auto version = prepare(db, "INSERT INTO catalogue_meta (key, value) VALUES ('kev_version', ?) "
                             "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
  if (sqlite3_exec(db, "DELETE FROM kev", nullptr, nullptr, nullptr) != SQLITE_OK || !put ||
      !version)
    return error();
  for (const auto& [id, e] : kev.entries) {
    st::statement_use use(put.get());
    put_text(put.get(), 1, id);
    put_text(put.get(), 2, e.date_added);
    put_text(put.get(), 3, e.vendor);
    put_text(put.get(), 4, e.product);
    sqlite3_bind_int(put.get(), 5, e.ransomware ? 1 : 0);
    if (sqlite3_step(put.get()) != SQLITE_DONE)
      return error();
  }
  put_text(version.get(), 1, kev.version);
  if (sqlite3_step(version.get()) != SQLITE_DONE ||
      sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK)
    return error();
  import_counts counts;
  counts.added = kev.entries.size() > before ? kev.entries.size() - before : 0;
  counts.unchanged = kev.entries.size() - counts.added;
  return counts;
}

std::variant<std::vector<cve_record>, std::string> cve_catalogue::records() const {
  std::lock_guard<std::mutex> guard(mutex_);
  auto all = prepare(db_.get(), "SELECT record FROM cves ORDER BY id");
  if (!all)
    return error();
  std::vector<cve_record> out;
  int rc = SQLITE_ROW;
  while ((rc = sqlite3_step(all.get())) == SQLITE_ROW) {
    boost::system::error_code ec;
    auto doc = boost::json::parse(column(all.get(), 0), ec);
    if (!ec && doc.is_object())
      out.push_back(cve_from_json(doc.get_object()));
  }
  if (rc != SQLITE_DONE)
    return error();
  return out;
}

std::variant<kev_catalog, std::string> cve_catalogue::kev() const {
  std::lock_guard<std::mutex> guard(mutex_);
  kev_catalog out;
  auto all = prepare(db_.get(), "SELECT id, date_added, vendor, product, ransomware FROM kev");
  auto version = prepare(db_.get(), "SELECT value FROM catalogue_meta WHERE key = 'kev_version'");
  if (!all || !version)
    return error();
  while (sqlite3_step(all.get()) == SQLITE_ROW)
    out.entries[column(all.get(), 0)] = {column(all.get(), 1), column(all.get(), 2),
                                         column(all.get(), 3),
                                         sqlite3_column_int(all.get(), 4) != 0};
  if (sqlite3_step(version.get()) == SQLITE_ROW)
    out.version = column(version.get(), 0);
  return out;
}

std::variant<std::shared_ptr<const cve_snapshot>, std::string> cve_catalogue::snapshot() const {
  auto list = records();
  if (auto* why = std::get_if<std::string>(&list))
    return *why;
  auto k = kev();
  if (auto* why = std::get_if<std::string>(&k))
    return *why;
  const auto& known = std::get<kev_catalog>(k);
  auto out = std::make_shared<cve_snapshot>();
  out->by_id.reserve(std::get<0>(list).size());
  for (auto& r : std::get<0>(list)) {
    cve_entry e;
    if (auto it = known.entries.find(r.id); it != known.entries.end()) {
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
