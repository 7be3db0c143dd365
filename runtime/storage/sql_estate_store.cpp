#include <algorithm>
#include <climits>
#include <cmath>
#include <map>

#include "protocol/risk_rules.hpp"
#include "runtime/storage/asset_state.hpp"
#include "runtime/storage/compact/entry_record.hpp"
#include "runtime/storage/sql_estate.hpp"

namespace qs::runtime::storage {

namespace {

// Fractions (risk, scores, probabilities) are kept as integers of billionths: exact
// to the nine digits the answers carry, ordered by the database without floats.
constexpr double scale = 1e9;

std::int64_t to_units(double v) {
  return static_cast<std::int64_t>(std::llround(v * scale));
}
double from_units(std::int64_t v) {
  return static_cast<double>(v) / scale;
}

const char* const row_columns =
    "SELECT name, last_entry, entries, last_seen, scan_timestamp, risk, asset_type, findings,"
    " quantum_risk, threat_score, is_anomaly, scan_job, kind, post_quantum, not_after,"
    " vulnerable, top_probability, top_title, top_cve, top_known_exploited FROM asset_state ";

std::optional<double> fraction(const sql::rows& rows, std::size_t r, std::size_t c) {
  if (rows.is_null(r, c))
    return std::nullopt;
  return from_units(rows.integer(r, c));
}
std::optional<bool> flag(const sql::rows& rows, std::size_t r, std::size_t c) {
  if (rows.is_null(r, c))
    return std::nullopt;
  return rows.integer(r, c) != 0;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  for (std::size_t at = 0; at < text.size();) {
    const auto end = std::min(text.find('\n', at), text.size());
    out.push_back(text.substr(at, end - at));
    at = end + 1;
  }
  return out;
}

asset_row read_row(sql::rows& rows, std::size_t r) {
  asset_row a;
  a.asset_id = rows.take(r, 0);
  a.last_entry = rows.integer(r, 1);
  a.entries = rows.integer(r, 2);
  a.last_seen = rows.take(r, 3);
  a.scan_timestamp = rows.take(r, 4);
  a.risk = from_units(rows.integer(r, 5));
  auto& s = a.summary;
  s.asset_type = rows.take(r, 6);
  s.findings = rows.integer(r, 7);
  s.quantum_risk = fraction(rows, r, 8);
  s.threat_score = fraction(rows, r, 9);
  s.is_anomaly = flag(rows, r, 10);
  s.scan_job = rows.take(r, 11);
  s.kind = rows.take(r, 12);
  s.post_quantum = flag(rows, r, 13);
  s.not_after = rows.take(r, 14);
  s.vulnerable = lines_of(rows.text(r, 15));
  s.top_probability = fraction(rows, r, 16);
  s.top_title = rows.take(r, 17);
  s.top_cve = rows.take(r, 18);
  s.top_known_exploited = rows.integer(r, 19) != 0;
  return a;
}

void optional_fraction(sql::params& p, const std::optional<double>& v) {
  if (v)
    p.integer(to_units(*v));
  else
    p.null();
}
void optional_flag(sql::params& p, const std::optional<bool>& v) {
  if (v)
    p.integer(*v ? 1 : 0);
  else
    p.null();
}

const char* order_column(asset_query::order_by o) {
  switch (o) {
  case asset_query::order_by::asset_id:
    return "name";
  case asset_query::order_by::last_seen:
    return "last_seen";
  case asset_query::order_by::findings:
    return "findings";
  case asset_query::order_by::quantum_risk:
    return "COALESCE(quantum_risk, -1)";
  case asset_query::order_by::threat_score:
    return "COALESCE(threat_score, -1)";
  case asset_query::order_by::risk:
    break;
  }
  return "risk";
}

/// `text` with LIKE's wildcards and the escape character escaped, lower case.
std::string like_pattern(const std::string& text) {
  std::string out = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\')
      out += '\\';
    out += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  }
  return out + "%";
}

class sql_estate final : public estate_store {
public:
  explicit sql_estate(std::shared_ptr<connections> db) : db_(std::move(db)) {}

  expected<asset_list> list_assets(const asset_query& q) override {
    if (q.limit < 1 || q.offset < 0)
      return qs::error(errc::invalid_argument, "a page starts at 0 or later and holds an asset");
    // Only the conditions asked for, so that an index serves the order and the count.
    std::string where;
    sql::params values;
    const std::string pattern = like_pattern(q.search);
    if (!q.search.empty()) {
      values.text(pattern);
      where = "WHERE LOWER(name) LIKE ?1 ESCAPE '\\' ";
    }
    if (!q.risk_level.empty()) {
      const double floor = protocol::risk_level_floor(q.risk_level.c_str());
      if (floor < 0)
        return qs::error(errc::invalid_argument, "unknown risk level \"" + q.risk_level + "\"");
      std::int64_t high = LLONG_MAX;
      for (const char* above : {"CRITICAL", "HIGH", "MEDIUM", "LOW"})
        if (const double f = protocol::risk_level_floor(above); f > floor)
          high = to_units(f);
      const auto n = values.values().size();
      where += (where.empty() ? "WHERE " : "AND ") + std::string("risk >= ?") +
               std::to_string(n + 1) + " AND risk < ?" + std::to_string(n + 2) + " ";
      values.integer(to_units(floor)).integer(high);
    }
    const auto next = values.values().size();
    const std::string page =
        " LIMIT ?" + std::to_string(next + 1) + " OFFSET ?" + std::to_string(next + 2);
    const char* dir = q.descending ? " DESC" : " ASC";
    auto txn = sql::transaction::begin(db_->read(), sql::access::read);
    if (!txn)
      return txn.error();
    const std::string order = q.sort == asset_query::order_by::asset_id
                                  ? std::string("name") + dir
                                  : std::string(order_column(q.sort)) + dir + ", name" + dir;
    auto rows = (*txn)->query(std::string(row_columns) + where + "ORDER BY " + order + page,
                              sql::params(values).integer(q.limit).integer(q.offset));
    if (!rows)
      return rows.error();
    auto total = (*txn)->query("SELECT COUNT(*) FROM asset_state " + where, values);
    if (!total)
      return total.error();
    if (auto done = txn->commit(); !done)
      return done.error();
    asset_list out;
    out.total = total->integer(0, 0);
    for (std::size_t r = 0; r < rows->size(); ++r)
      out.assets.push_back(read_row(*rows, r));
    return out;
  }

  expected<estate_overview> overview(const std::string& expiring_before,
                                     std::size_t most) override {
    const auto limit = static_cast<std::int64_t>(std::min<std::size_t>(most, INT_MAX));
    auto txn = sql::transaction::begin(db_->read(), sql::access::read);
    if (!txn)
      return txn.error();
    auto& c = **txn;
    estate_overview out;
    // Counted by the database: assets at or above each level's floor, the scanned
    // TLS endpoints, and each set of vulnerable algorithms (few distinct ones).
    static const char* const names[] = {"CRITICAL", "HIGH", "MEDIUM", "LOW", "MINIMAL"};
    std::string counts = "SELECT COUNT(*)";
    sql::params floors;
    for (int i = 0; i < 4; ++i) {
      counts +=
          ", COALESCE(SUM(CASE WHEN risk >= ?" + std::to_string(i + 1) + " THEN 1 ELSE 0 END), 0)";
      floors.integer(to_units(protocol::risk_level_floor(names[i])));
    }
    counts += ", COALESCE(SUM(CASE WHEN kind = 'tls' THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE "
              "WHEN kind = 'tls' AND post_quantum = 1 THEN 1 ELSE 0 END), 0) FROM asset_state";
    auto counted = c.query(counts, floors);
    if (!counted)
      return counted.error();
    out.assets = counted->integer(0, 0);
    std::int64_t above = 0; // assets at a higher level than the one counted
    for (int i = 0; i < 5; ++i) {
      const auto at_least =
          i < 4 ? counted->integer(0, static_cast<std::size_t>(i + 1)) : out.assets;
      out.by_risk_level.push_back({names[i], at_least - above});
      above = at_least;
    }
    out.tls_endpoints = counted->integer(0, 5);
    out.tls_with_post_quantum = counted->integer(0, 6);
    auto sets = c.query("SELECT vulnerable, COUNT(*) FROM asset_state WHERE vulnerable <> ''"
                        " GROUP BY vulnerable");
    if (!sets)
      return sets.error();
    std::map<std::string, std::int64_t> algorithms;
    for (std::size_t r = 0; r < sets->size(); ++r)
      for (auto& a : lines_of(sets->text(r, 0)))
        algorithms[a] += sets->integer(r, 1);
    for (const auto& [name, count] : algorithms)
      out.vulnerable_algorithms.push_back({name, count});
    std::stable_sort(out.vulnerable_algorithms.begin(), out.vulnerable_algorithms.end(),
                     [](const auto& a, const auto& b) { return a.count > b.count; });
    auto expiring = c.query(std::string(row_columns) + "WHERE not_after <> '' AND not_after < ?1"
                                                       " ORDER BY not_after, name LIMIT ?2",
                            sql::params().text(expiring_before).integer(limit));
    if (!expiring)
      return expiring.error();
    for (std::size_t r = 0; r < expiring->size(); ++r)
      out.certificates_expiring.push_back(read_row(*expiring, r));
    auto likely =
        c.query(std::string(row_columns) + "WHERE top_probability IS NOT NULL"
                                           " ORDER BY top_probability DESC, name LIMIT ?1",
                sql::params().integer(limit));
    if (!likely)
      return likely.error();
    for (std::size_t r = 0; r < likely->size(); ++r)
      out.most_likely_exploited.push_back(read_row(*likely, r));
    if (auto done = txn->commit(); !done)
      return done.error();
    return out;
  }

private:
  std::shared_ptr<connections> db_;
};

} // namespace

expected<void> record_asset_state(sql::connection& c, std::int64_t asset, const entry& e) {
  auto found = c.query(std::string(row_columns) + "WHERE asset = ?1", sql::params().integer(asset));
  if (!found)
    return found.error();
  std::optional<asset_row> before;
  if (!found->empty())
    before = read_row(*found, 0);
  const auto row = fold(before, e, e.summary ? *e.summary : summary_of(e));
  const auto& s = row.summary;
  std::string vulnerable;
  for (const auto& a : s.vulnerable)
    vulnerable += (vulnerable.empty() ? "" : "\n") + a;
  sql::params p;
  p.integer(asset).text(row.asset_id).integer(row.last_entry).integer(row.entries);
  p.text(row.last_seen).text(row.scan_timestamp).integer(to_units(row.risk));
  p.text(s.asset_type).integer(s.findings);
  optional_fraction(p, s.quantum_risk);
  optional_fraction(p, s.threat_score);
  optional_flag(p, s.is_anomaly);
  p.text(s.scan_job).text(s.kind);
  optional_flag(p, s.post_quantum);
  p.text(s.not_after).text(vulnerable);
  optional_fraction(p, s.top_probability);
  p.text(s.top_title).text(s.top_cve).integer(s.top_known_exploited ? 1 : 0);
  auto done = c.execute(
      "INSERT INTO asset_state (asset, name, last_entry, entries, last_seen, scan_timestamp,"
      " risk, asset_type, findings, quantum_risk, threat_score, is_anomaly, scan_job, kind,"
      " post_quantum, not_after, vulnerable, top_probability, top_title, top_cve,"
      " top_known_exploited) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
      " ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21) ON CONFLICT (asset) DO UPDATE SET"
      " last_entry = excluded.last_entry, entries = excluded.entries,"
      " last_seen = excluded.last_seen, scan_timestamp = excluded.scan_timestamp,"
      " risk = excluded.risk, asset_type = excluded.asset_type, findings = excluded.findings,"
      " quantum_risk = excluded.quantum_risk, threat_score = excluded.threat_score,"
      " is_anomaly = excluded.is_anomaly, scan_job = excluded.scan_job, kind = excluded.kind,"
      " post_quantum = excluded.post_quantum, not_after = excluded.not_after,"
      " vulnerable = excluded.vulnerable, top_probability = excluded.top_probability,"
      " top_title = excluded.top_title, top_cve = excluded.top_cve,"
      " top_known_exploited = excluded.top_known_exploited",
      p);
  if (!done)
    return done.error();
  return {};
}

expected<void> backfill_asset_state(sql::connection& c) {
  constexpr std::int64_t chunk = 1000;
  for (std::int64_t after = 0;;) {
    auto rows = c.query("SELECT e.id, e.asset, a.name, e.record, h.record FROM entries e"
                        " JOIN assets a ON a.id = e.asset LEFT JOIN entries h ON h.id = e.head"
                        " WHERE e.id > ?1 ORDER BY e.id LIMIT ?2",
                        sql::params().integer(after).integer(chunk));
    if (!rows)
      return rows.error();
    for (std::size_t r = 0; r < rows->size(); ++r) {
      entry e, head;
      e.id = after = rows->integer(r, 0);
      e.asset_id = rows->text(r, 2);
      const bool headed = !rows->is_null(r, 4);
      if (headed)
        if (auto done = compact::decode_entry(rows->text(r, 4), nullptr, head); !done)
          return done.error();
      if (auto done = compact::decode_entry(rows->text(r, 3), headed ? &head : nullptr, e); !done)
        return done.error();
      if (auto done = record_asset_state(c, rows->integer(r, 1), e); !done)
        return done.error();
    }
    if (static_cast<std::int64_t>(rows->size()) < chunk)
      return {};
  }
}

std::shared_ptr<estate_store> sql_estate_store(std::shared_ptr<connections> db) {
  return std::make_shared<sql_estate>(std::move(db));
}

} // namespace qs::runtime::storage
