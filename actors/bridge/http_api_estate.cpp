// The bridge's estate routes: the asset list (paged, sorted and searched by the
// database), the overview of the whole estate, and what changed for one asset
// between two of its scans. They read the stores on a storage thread.
#include <ctime>

#include "actors/analytics/scan_changes.hpp"
#include "actors/bridge/http_api.hpp"
#include "actors/bridge/responses.hpp"
#include "protocol/json_writer.hpp"
#include "protocol/risk_rules.hpp"

namespace qs::actors {

namespace http = runtime::http;
using runtime::storage::asset_query;

namespace {

constexpr std::int64_t max_asset_page = 500;
constexpr int expiring_days = 30;
constexpr std::size_t overview_items = 10;
constexpr std::size_t changes_search = 200; // entries looked through for an earlier scan

const std::pair<const char*, asset_query::order_by> sort_names[] = {
    {"risk", asset_query::order_by::risk},
    {"asset_id", asset_query::order_by::asset_id},
    {"last_seen", asset_query::order_by::last_seen},
    {"findings", asset_query::order_by::findings},
    {"quantum_risk", asset_query::order_by::quantum_risk},
    {"threat_score", asset_query::order_by::threat_score}};

void optional_number(protocol::json_writer& out, const char* key, std::optional<double> v) {
  out.key(key);
  v ? out.value(*v) : out.null();
}

void write_asset(protocol::json_writer& out, const runtime::storage::asset_row& a) {
  const auto& s = a.summary;
  out.begin_object();
  out.key("asset_id").value(a.asset_id);
  out.key("asset_type").value(s.asset_type);
  out.key("last_seen").value(a.last_seen);
  out.key("scan_timestamp").value(a.scan_timestamp);
  out.key("entries").value(a.entries);
  out.key("findings").value(s.findings);
  optional_number(out, "quantum_risk", s.quantum_risk);
  optional_number(out, "threat_score", s.threat_score);
  out.key("is_anomaly");
  s.is_anomaly ? out.value(*s.is_anomaly) : out.null();
  out.key("risk").value(a.risk);
  out.key("risk_level").value(protocol::risk_level(a.risk));
  out.key("source").value(s.scan_job.empty() ? "posted" : "scan");
  out.key("scan_job");
  s.scan_job.empty() ? out.null() : out.value(s.scan_job);
  out.end_object();
}

/// ISO 8601 of now plus `days`, as certificates' expiry is written ("...Z").
std::string days_from_now(int days) {
  const std::time_t t = std::time(nullptr) + static_cast<std::time_t>(days) * 86400;
  std::tm utc{};
  gmtime_r(&t, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

/// Whole days from now to `not_after` ("2027-01-01T00:00:00Z"), negative once past.
std::int64_t days_left(const std::string& not_after) {
  std::tm t{};
  if (!strptime(not_after.c_str(), "%Y-%m-%dT%H:%M:%S", &t))
    return 0;
  const auto seconds = static_cast<double>(timegm(&t) - std::time(nullptr));
  return static_cast<std::int64_t>(seconds / 86400);
}

} // namespace

http::response http_api::asset_list(const http::request& req) {
  auto page = page_params(req, max_asset_page);
  if (auto* bad = std::get_if<http::response>(&page))
    return std::move(*bad);
  asset_query q;
  std::tie(q.offset, q.limit) = std::get<std::pair<std::int64_t, std::int64_t>>(page);
  const auto sort = req.query_param("sort");
  const char* sort_name = "risk";
  if (!sort.empty()) {
    const auto* found = std::find_if(std::begin(sort_names), std::end(sort_names),
                                     [&](const auto& s) { return sort == s.first; });
    if (found == std::end(sort_names))
      return error_response(400, "invalid_request", "bad query parameter",
                            {{"query.sort", "expected risk, asset_id, last_seen, findings, "
                                            "quantum_risk or threat_score"}});
    q.sort = found->second;
    sort_name = found->first;
  }
  const auto order = req.query_param("order");
  if (!order.empty() && order != "asc" && order != "desc")
    return error_response(400, "invalid_request", "bad query parameter",
                          {{"query.order", "expected asc or desc"}});
  q.descending = order != "asc";
  q.search = req.query_param("q");
  if (q.search.size() > 256)
    return error_response(400, "invalid_request", "bad query parameter",
                          {{"query.q", "longer than 256 bytes"}});
  q.risk_level = req.query_param("risk_level");
  if (!q.risk_level.empty() && protocol::risk_level_floor(q.risk_level.c_str()) < 0)
    return error_response(
        400, "invalid_request", "bad query parameter",
        {{"query.risk_level", "expected CRITICAL, HIGH, MEDIUM, LOW or MINIMAL"}});
  auto list = stores_.estate->list_assets(q);
  if (!list)
    return storage_unavailable(req, list.error());
  protocol::json_writer out;
  out.begin_object();
  out.key("assets").begin_array();
  for (const auto& a : list->assets)
    write_asset(out, a);
  out.end_array();
  out.key("total").value(list->total);
  out.key("offset").value(q.offset);
  out.key("limit").value(q.limit);
  out.key("sort").value(sort_name);
  out.key("order").value(q.descending ? "desc" : "asc");
  out.key("q").value(q.search);
  out.end_object();
  return json_response(200, out.release());
}

http::response http_api::overview(const http::request& req) {
  auto got = stores_.estate->overview(days_from_now(expiring_days), overview_items);
  if (!got)
    return storage_unavailable(req, got.error());
  protocol::json_writer out;
  out.begin_object();
  out.key("assets").value(got->assets);
  out.key("by_risk_level").begin_object();
  for (const auto& [level, count] : got->by_risk_level)
    out.key(level).value(count);
  out.end_object();
  out.key("vulnerable_algorithms").begin_array();
  for (const auto& [name, count] : got->vulnerable_algorithms) {
    out.begin_object();
    out.key("algorithm").value(name);
    out.key("assets").value(count);
    out.end_object();
  }
  out.end_array();
  out.key("tls_endpoints").value(got->tls_endpoints);
  out.key("tls_with_post_quantum_group").value(got->tls_with_post_quantum);
  out.key("expiring_within_days").value(expiring_days);
  out.key("certificates_expiring").begin_array();
  for (const auto& a : got->certificates_expiring) {
    out.begin_object();
    out.key("asset_id").value(a.asset_id);
    out.key("not_after").value(a.summary.not_after);
    out.key("days").value(days_left(a.summary.not_after));
    out.end_object();
  }
  out.end_array();
  out.key("most_likely_exploited").begin_array();
  for (const auto& a : got->most_likely_exploited) {
    const auto& s = a.summary;
    out.begin_object();
    out.key("asset_id").value(a.asset_id);
    out.key("title").value(s.top_title);
    out.key("cve_id");
    s.top_cve.empty() ? out.null() : out.value(s.top_cve);
    optional_number(out, "exploit_probability", s.top_probability);
    out.key("known_exploited").value(s.top_known_exploited);
    out.end_object();
  }
  out.end_array();
  // NIST IR 8547 (initial public draft, 2024): quantum-vulnerable public-key
  // algorithms at 112 bits of security deprecated after 2030, all disallowed after 2035.
  out.key("deadlines").begin_array();
  for (const auto& [date, what] :
       {std::pair{"2030-12-31", "NIST IR 8547: RSA, ECDSA, EdDSA, DH and ECDH at 112 bits of "
                                "security deprecated"},
        std::pair{"2035-12-31", "NIST IR 8547: every quantum-vulnerable public-key algorithm "
                                "disallowed; use ML-KEM (FIPS 203) and ML-DSA (FIPS 204)"}}) {
    out.begin_object();
    out.key("date").value(date);
    out.key("what").value(what);
    out.end_object();
  }
  out.end_array();
  out.end_object();
  return json_response(200, out.release());
}

http::response http_api::asset_changes(const route_match& route, const http::request& req) {
  const auto most = std::numeric_limits<std::int64_t>::max();
  auto from_id = number_param(req, "from", 0, 1, most);
  if (auto* bad = std::get_if<http::response>(&from_id))
    return std::move(*bad);
  auto to_id = number_param(req, "to", 0, 1, most);
  if (auto* bad = std::get_if<http::response>(&to_id))
    return std::move(*bad);
  // The entry with that id, or the 400 that names the parameter.
  auto entry_at = [&](const char* name,
                      std::int64_t id) -> std::variant<runtime::storage::entry, http::response> {
    auto found = stores_.history->find_entry(route.asset_id, id);
    if (!found)
      return storage_unavailable(req, found.error());
    if (!*found)
      return error_response(400, "invalid_request", "bad query parameter",
                            {{std::string("query.") + name,
                              "asset " + route.asset_id + " has no entry " + std::to_string(id)}});
    return std::move(**found);
  };
  std::optional<runtime::storage::entry> from, to;
  for (auto [name, id, slot] : {std::tuple{"to", std::get<std::int64_t>(to_id), &to},
                                std::tuple{"from", std::get<std::int64_t>(from_id), &from}}) {
    if (id == 0)
      continue;
    auto got = entry_at(name, id);
    if (auto* bad = std::get_if<http::response>(&got))
      return std::move(*bad);
    *slot = std::get<runtime::storage::entry>(std::move(got));
  }
  if (!to || !from) {
    // The defaults: its latest entry, and the latest before it of another scan (an
    // entry of the same scan, as predict and detect-anomalies of one result make,
    // is not a change).
    auto page = stores_.history->history(route.asset_id, changes_search, std::nullopt);
    if (!page)
      return storage_unavailable(req, page.error());
    if (page->total == 0)
      return error_response(404, "not_found", "no stored scan results for asset " + route.asset_id);
    if (!to)
      to = page->entries.front();
    for (const auto& e : page->entries)
      if (!from && e.id < to->id && e.scan_timestamp != to->scan_timestamp)
        from = e;
  }
  protocol::json_writer out;
  analytics::write_changes(out, route.asset_id, from ? &*from : nullptr, &*to);
  return json_response(200, out.release());
}

} // namespace qs::actors
