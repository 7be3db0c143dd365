#include "runtime/storage/migrations.hpp"

#include "runtime/hex.hpp"
#include "runtime/storage/compact/from_v6.hpp"
#include "runtime/storage/sql_estate.hpp"

#include <cstdio>
#include <random>

namespace qs::runtime::storage {

namespace {

struct raw_migration {
  const char* description;
  std::vector<const char*> statements;
  expected<void> (*step)(sql::connection&) = nullptr;
};

/// SQLite kept a model file as hex text in its BLOB column; make it the bytes.
expected<void> unhex_sqlite_models(sql::connection& c) {
  if (c.dialect() != sql::dialect::sqlite)
    return {};
  auto hex = c.query("SELECT version, blob FROM models WHERE typeof(blob) = 'text'");
  if (!hex)
    return hex.error();
  for (std::size_t r = 0; r < hex->size(); ++r) {
    const auto bytes = hex_to_bytes(hex->text(r, 1));
    if (!bytes)
      return qs::error(errc::corrupt, "model " + hex->text(r, 0) + " is not stored as hex");
    if (auto done = c.execute("UPDATE models SET blob = ?1 WHERE version = ?2",
                              sql::params().blob(*bytes).text(hex->text(r, 0)));
        !done)
      return done.error();
  }
  return {};
}

/// Gives the database its own random id (the cluster it belongs to is set when a
/// persistence node first serves it).
expected<void> name_database(sql::connection& c) {
  std::random_device random;
  char id[33];
  for (int i = 0; i < 4; ++i)
    std::snprintf(id + 8 * i, 9, "%08x", static_cast<unsigned>(random()));
  const std::string now = sql::now_iso8601();
  if (auto done = c.execute("INSERT INTO database_identity (singleton, database_id, created_at)"
                            " VALUES (1, ?1, ?2)",
                            sql::params().text(id).text(now));
      !done)
    return done.error();
  return {};
}

// Append only: never edit a migration that has shipped; add a new one.
const std::vector<raw_migration>& raw_migrations() {
  static const std::vector<raw_migration> all = {
      {"entries, idempotent answers, training examples, models",
       {
           "CREATE TABLE entries ("
           " id {id},"
           " asset_id TEXT NOT NULL,"
           " request_id TEXT,"
           " operation TEXT,"
           " scan_timestamp TEXT,"
           " stored_at TEXT,"
           " scan_result TEXT NOT NULL,"
           " prediction TEXT,"
           " anomaly TEXT)",
           "CREATE INDEX entries_by_asset ON entries (asset_id, id)",
           "CREATE TABLE idempotent_answers ("
           " key TEXT PRIMARY KEY,"
           " route TEXT,"
           " status INTEGER,"
           " body TEXT,"
           " stored_at TEXT)",
           "CREATE TABLE training_examples ("
           " id {id},"
           " asset_id TEXT NOT NULL,"
           " scan_result TEXT NOT NULL,"
           " exploited INTEGER NULL,"
           " stored_at TEXT)",
           "CREATE TABLE models ("
           " version TEXT PRIMARY KEY,"
           " kind TEXT,"
           " created_at TEXT,"
           " metrics TEXT,"
           " blob {blob})",
       }},
      {"stored requests, so a request stored twice (late answer after a fallback) counts once",
       {
           "CREATE TABLE stored_requests ("
           " request_id TEXT PRIMARY KEY,"
           " stored_at TEXT)",
       }},
      {"idempotent answers remember the route and body they answered",
       {
           "ALTER TABLE idempotent_answers ADD COLUMN fingerprint TEXT NOT NULL DEFAULT ''",
       }},
      {"scan jobs and their results",
       {
           "CREATE TABLE scan_jobs ("
           " id TEXT PRIMARY KEY,"
           " status TEXT NOT NULL,"
           " request TEXT NOT NULL,"
           " total BIGINT NOT NULL,"
           " done BIGINT NOT NULL DEFAULT 0,"
           " error TEXT NOT NULL DEFAULT '',"
           " owner TEXT NOT NULL DEFAULT '',"
           " created_at TEXT NOT NULL,"
           " updated_at TEXT NOT NULL)",
           "CREATE INDEX scan_jobs_by_status ON scan_jobs (status)",
           "CREATE TABLE scan_results ("
           " job_id TEXT NOT NULL,"
           " position BIGINT NOT NULL,"
           " target TEXT NOT NULL,"
           " result TEXT NOT NULL,"
           " PRIMARY KEY (job_id, position))",
       }},
      {"model files are stored as bytes (SQLite kept them as hex text)", {}, unhex_sqlite_models},
      {"the database's identity: its own id and the cluster it belongs to",
       {
           "CREATE TABLE database_identity ("
           " singleton INTEGER PRIMARY KEY,"
           " database_id TEXT NOT NULL,"
           " cluster_id TEXT,"
           " created_at TEXT NOT NULL)",
       },
       name_database},
      {"compact entries: assets by id, each entry's texts packed in one record, a batch's"
       " shared fields once, idempotent answers as templates over their entries",
       {
           "ALTER TABLE entries RENAME TO entries_v6",
           "DROP INDEX entries_by_asset",
           "CREATE TABLE assets ("
           " id {key},"
           " name TEXT NOT NULL UNIQUE)",
           "CREATE TABLE entries ("
           " id {key},"
           " asset BIGINT NOT NULL,"
           " head BIGINT,"
           " flags INTEGER NOT NULL,"
           " record {blob} NOT NULL)",
           "CREATE INDEX entries_by_asset ON entries (asset, id)",
           "CREATE TABLE answers ("
           " key TEXT PRIMARY KEY,"
           " status INTEGER NOT NULL,"
           " head BIGINT,"
           " last BIGINT,"
           " record {blob} NOT NULL){without_rowid}",
           "ALTER TABLE stored_requests RENAME TO stored_requests_v6",
           "CREATE TABLE stored_requests (request_id TEXT PRIMARY KEY){without_rowid}",
           "INSERT INTO stored_requests (request_id) SELECT request_id FROM stored_requests_v6",
           "DROP TABLE stored_requests_v6",
       },
       compact::carry_v6_rows},
      {"each asset's latest standing, for the asset list and the overview; scan jobs by"
       " creation time; scheduled scans",
       {
           "CREATE TABLE asset_state ("
           " asset BIGINT PRIMARY KEY,"
           " name TEXT NOT NULL,"
           " last_entry BIGINT NOT NULL,"
           " entries BIGINT NOT NULL,"
           " last_seen TEXT NOT NULL,"
           " scan_timestamp TEXT NOT NULL,"
           " risk BIGINT NOT NULL,"
           " asset_type TEXT NOT NULL,"
           " findings BIGINT NOT NULL,"
           " quantum_risk BIGINT,"
           " threat_score BIGINT,"
           " is_anomaly INTEGER,"
           " scan_job TEXT NOT NULL,"
           " kind TEXT NOT NULL,"
           " post_quantum INTEGER,"
           " not_after TEXT NOT NULL,"
           " vulnerable TEXT NOT NULL,"
           " top_probability BIGINT,"
           " top_title TEXT NOT NULL,"
           " top_cve TEXT NOT NULL,"
           " top_known_exploited INTEGER NOT NULL)",
           "CREATE INDEX asset_state_by_risk ON asset_state (risk, name)",
           "CREATE INDEX asset_state_by_name ON asset_state (name)",
           "CREATE INDEX asset_state_by_last_seen ON asset_state (last_seen, name)",
           "CREATE INDEX asset_state_by_findings ON asset_state (findings, name)",
           "CREATE INDEX asset_state_by_not_after ON asset_state (not_after)",
           "CREATE INDEX asset_state_by_top_probability ON asset_state (top_probability)",
           "CREATE INDEX scan_jobs_by_created_at ON scan_jobs (created_at, id)",
           "CREATE TABLE schedules ("
           " id TEXT PRIMARY KEY,"
           " name TEXT NOT NULL,"
           " request TEXT NOT NULL,"
           " owner TEXT NOT NULL,"
           " created_at TEXT NOT NULL,"
           " next_run BIGINT NOT NULL,"
           " last_scan TEXT NOT NULL,"
           " last_run_at TEXT NOT NULL)",
       },
       backfill_asset_state},
  };
  return all;
}

void replace_all(std::string& text, const std::string& token, const std::string& with) {
  for (auto at = text.find(token); at != std::string::npos; at = text.find(token, at + with.size()))
    text.replace(at, token.size(), with);
}

} // namespace

std::vector<migration> migrations(sql::dialect dialect) {
  const bool sqlite = dialect == sql::dialect::sqlite;
  const std::string id = sqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT"
                                : "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY";
  const std::string blob = sqlite ? "BLOB" : "BYTEA";
  // An increasing key without AUTOINCREMENT's bookkeeping (nothing is ever deleted).
  const std::string key =
      sqlite ? "INTEGER PRIMARY KEY" : "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY";
  const std::string without_rowid = sqlite ? " WITHOUT ROWID" : "";
  std::vector<migration> out;
  int version = 0;
  for (const auto& raw : raw_migrations()) {
    migration m;
    m.version = ++version;
    m.description = raw.description;
    m.step = raw.step;
    for (const char* sql : raw.statements) {
      std::string text = sql;
      replace_all(text, "{id}", id);
      replace_all(text, "{blob}", blob);
      replace_all(text, "{key}", key);
      replace_all(text, "{without_rowid}", without_rowid);
      m.statements.push_back(std::move(text));
    }
    out.push_back(std::move(m));
  }
  return out;
}

int latest_schema_version() {
  return static_cast<int>(raw_migrations().size());
}

expected<int> migrate(sql::connection& writer) {
  auto txn = sql::transaction::begin(writer, sql::access::write);
  const std::string where = writer.where();
  const auto fail = [&](const std::string& what, const qs::error& why) {
    return qs::error(why.code, "cannot migrate " + where + what + ": " + why.message);
  };
  if (!txn)
    return fail("", txn.error());
  auto& c = **txn;
  if (auto made = c.execute("CREATE TABLE IF NOT EXISTS schema_migrations ("
                            " version INTEGER PRIMARY KEY,"
                            " applied_at TEXT NOT NULL)");
      !made)
    return fail("", made.error());
  auto rows = c.query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  if (!rows)
    return fail("", rows.error());
  auto current = static_cast<int>(rows->integer(0, 0));
  if (current > latest_schema_version())
    return qs::error(errc::schema_too_new, "cannot open " + where + ": its schema version " +
                                               std::to_string(current) +
                                               " is newer than this build's (" +
                                               std::to_string(latest_schema_version()) + ")");
  for (const auto& m : migrations(c.dialect())) {
    if (m.version <= current)
      continue;
    const std::string what =
        " to version " + std::to_string(m.version) + " (" + m.description + ")";
    for (const auto& sql : m.statements)
      if (auto done = c.execute(sql); !done)
        return fail(what, done.error());
    if (m.step)
      if (auto done = m.step(c); !done)
        return fail(what, done.error());
    if (auto done = c.execute("INSERT INTO schema_migrations (version, applied_at) VALUES (?1, ?2)",
                              sql::params().integer(m.version).text(sql::now_iso8601()));
        !done)
      return fail(what, done.error());
    current = m.version;
  }
  if (auto done = txn->commit(); !done)
    return fail("", done.error());
  return current;
}

} // namespace qs::runtime::storage
