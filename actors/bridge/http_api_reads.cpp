// The bridge's read-only routes: asset history, health, status, model info.
#include <charconv>
#include <map>
#include <string>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "actors/analytics/rule_threat_model.hpp"
#include "actors/anomaly/series_history.hpp"
#include "actors/bridge/http_api.hpp"
#include "actors/bridge/responses.hpp"
#include "actors/supervision/role_health.hpp"
#include "protocol/answer_codec.hpp"
#include "protocol/json_writer.hpp"
#include "protocol/timestamp.hpp"

namespace qs::actors {

namespace http = runtime::http;

namespace {

void write_entry(protocol::json_writer& out, const runtime::storage::entry& e) {
  out.begin_object();
  out.key("id").value(e.id);
  out.key("request_id").value(e.request_id);
  out.key("operation").value(e.operation);
  out.key("stored_at").value(e.stored_at);
  out.key("scan_result").raw(e.scan_result);
  out.key("prediction");
  e.prediction.empty() ? out.null() : out.raw(e.prediction);
  out.key("anomaly");
  e.anomaly.empty() ? out.null() : out.raw(e.anomaly);
  out.end_object();
}

using role_states = std::map<std::string, role_state>;

void write_roles(protocol::json_writer& out, const role_states& roles) {
  out.key("roles").begin_object();
  for (const auto& [role, st] : roles) {
    out.key(role).begin_object();
    out.key("state").value(st.state);
    if (!st.reason.empty())
      out.key("reason").value(st.reason);
    out.end_object();
  }
  out.end_object();
}

bool any_role_not_ok(const role_states& roles) {
  for (const auto& [role, st] : roles)
    if (st.state != "ok")
      return true;
  return false;
}

} // namespace

http::response http_api::asset_history(const route_match& route, const http::request& req) {
  std::size_t limit = 50;
  const auto limit_text = req.query_param("limit");
  if (!limit_text.empty()) {
    std::size_t value = 0;
    auto [end, ec] =
        std::from_chars(limit_text.data(), limit_text.data() + limit_text.size(), value);
    if (ec != std::errc{} || end != limit_text.data() + limit_text.size() || value == 0 ||
        value > cfg_.max_history_page)
      return error_response(400, "invalid_request", "bad query parameter",
                            {{"query.limit", "expected a whole number from 1 to " +
                                                 std::to_string(cfg_.max_history_page)}});
    limit = value;
  }
  std::optional<std::string> cursor;
  if (auto c = req.query_param("cursor"); !c.empty())
    cursor = c;
  auto page = stores_.history->history(route.asset_id, limit, cursor);
  if (!page) {
    if (page.error() == runtime::storage::errc::invalid_argument)
      return error_response(400, "invalid_request", "bad query parameter",
                            {{"query.cursor", page.error().message}});
    return storage_unavailable(req, page.error());
  }
  if (page->total == 0)
    return error_response(404, "not_found", "no stored scan results for asset " + route.asset_id);
  auto latest = stores_.history->latest(route.asset_id);
  protocol::json_writer out;
  out.begin_object();
  out.key("asset_id").value(route.asset_id);
  out.key("latest");
  if (latest && *latest)
    write_entry(out, **latest);
  else
    out.null();
  out.key("history").begin_array();
  for (const auto& e : page->entries)
    write_entry(out, e);
  out.end_array();
  out.key("total").value(page->total);
  out.key("next");
  page->next ? out.value(*page->next) : out.null();
  out.end_object();
  return json_response(200, out.release());
}

http::response http_api::asset_series(const route_match& route, const http::request& req) {
  struct point {
    std::string timestamp;
    double value;
    std::optional<double> score;
  };
  std::array<std::vector<point>, anomaly::metric_count> series;
  auto replay = anomaly::replay_history(
      *stores_.history, route.asset_id,
      [&](const protocol::scan_result& result, const anomaly::scan_scores& s) {
        auto values = anomaly::metric_values(result);
        for (std::size_t i = 0; i < anomaly::metric_count; ++i)
          if (values[i])
            series[i].push_back({result.timestamp, *values[i], s[i]});
      });
  if (!replay)
    return storage_unavailable(req, replay.error());
  if (replay->series.scans() == 0)
    return error_response(404, "not_found",
                          "no stored scan results judged for anomalies for asset " +
                              route.asset_id);
  protocol::json_writer out;
  out.begin_object();
  out.key("asset_id").value(route.asset_id);
  out.key("detector").value(std::string(streaming::default_detector()));
  out.key("cold_start_points").value(static_cast<std::int64_t>(anomaly::cold_start_points));
  out.key("alert_score").value(anomaly::alert_score);
  out.key("scans").value(static_cast<std::int64_t>(replay->series.scans()));
  out.key("series").begin_array();
  for (std::size_t i = 0; i < anomaly::metric_count; ++i) {
    out.begin_object();
    out.key("name").value(std::string(anomaly::metric_names()[i]));
    out.key("points").begin_array();
    for (const auto& p : series[i]) {
      out.begin_object();
      out.key("timestamp").value(p.timestamp);
      out.key("value").value(p.value);
      out.key("anomaly_score");
      p.score ? out.value(*p.score) : out.null();
      out.key("is_anomaly").value(p.score && *p.score >= anomaly::alert_score);
      out.end_object();
    }
    out.end_array();
    out.end_object();
  }
  out.end_array();
  out.end_object();
  return json_response(200, out.release());
}

http::response http_api::health(bool full) const {
  const auto roles = cfg_.health->snapshot();
  protocol::json_writer out;
  out.begin_object();
  // Scorpius's client stops calling unless this is exactly "healthy": it is,
  // whenever the bridge can answer at all. The detail goes beside it.
  if (full)
    out.key("status").value(any_role_not_ok(roles) ? "degraded" : "ok");
  else
    out.key("status").value("healthy");
  out.key("degraded").value(any_role_not_ok(roles));
  out.key("timestamp").value(protocol::now_iso8601());
  out.key("version").value(cfg_.version);
  write_roles(out, roles);
  out.end_object();
  return json_response(200, out.release());
}

http::response http_api::status() const {
  const double uptime =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  const auto roles = cfg_.health->snapshot();
  protocol::json_writer out;
  out.begin_object();
  out.key("service").value("quantum-scanner");
  out.key("version").value(cfg_.version);
  out.key("cluster_id").value(cfg_.cluster_id ? cfg_.cluster_id() : std::string());
  out.key("status").value(any_role_not_ok(roles) ? "degraded" : "operational");
  out.key("started_at").value(started_at_);
  out.key("uptime_seconds").value(uptime);
  out.key("timestamp").value(protocol::now_iso8601());
  out.key("services").begin_object();
  for (const auto& [role, st] : roles)
    out.key(role).value(st.state);
  out.end_object();
  write_roles(out, roles);
  out.end_object();
  return json_response(200, out.release());
}

namespace {

void write_model(protocol::json_writer& out, const analytics::model_info& m) {
  out.begin_object();
  out.key("version").value(m.version);
  if (m.accuracy) // the validation ROC-AUC; never a made-up number
    out.key("accuracy").value(*m.accuracy);
  else
    out.key("accuracy").null();
  if (m.last_trained)
    out.key("last_trained").value(*m.last_trained);
  else
    out.key("last_trained").null();
  out.key("kind").value(m.kind);
  out.key("description").value(m.description);
  for (const auto& [k, v] : m.details)
    out.key(k).raw(boost::json::serialize(v));
  out.end_object();
}

} // namespace

http::response http_api::model_info() const {
  protocol::json_writer out;
  out.begin_object();
  out.key("threat_predictor");
  write_model(out, cfg_.exploit ? cfg_.exploit->live_info()
                                : analytics::make_rule_threat_model()->info());
  if (cfg_.exploit) {
    out.key("training_job").raw(boost::json::serialize(cfg_.exploit->training_status()));
    if (auto versions = stores_.models->list_models("threat_predictor")) {
      out.key("versions").begin_array();
      for (const auto& v : *versions) {
        out.begin_object();
        out.key("version").value(v.version);
        out.key("stored_at").value(v.created_at);
        boost::system::error_code ec;
        auto meta = boost::json::parse(v.metrics, ec);
        const auto* o = ec ? nullptr : meta.if_object();
        if (o && o->contains("validation"))
          out.key("validation").raw(boost::json::serialize(o->at("validation")));
        out.end_object();
      }
      out.end_array();
    }
  }
  out.key("anomaly_detector");
  analytics::model_info rules{"anomaly_rules",
                              "rules-v0",
                              std::nullopt,
                              std::nullopt,
                              "rule-based",
                              "Pattern rules over a report (deprecated algorithms, one algorithm "
                              "dominating, inconsistent key sizes) and drift against the "
                              "asset's previous scan.",
                              {}};
  write_model(out, rules);
  if (auto counts = stores_.models->count_training()) {
    out.key("training_examples").begin_object();
    out.key("stored").value(counts->examples);
    out.key("labelled").value(counts->labelled);
    out.key("exploited").value(counts->positives);
    out.end_object();
  }
  out.end_object();
  return json_response(200, out.release());
}

http::response http_api::cve(const route_match& route) const {
  if (!cfg_.exploit)
    return error_response(404, "not_found", "this bridge has no CVE catalogue");
  auto [status, body] = cfg_.exploit->cve(route.asset_id);
  return json_response(status, std::move(body));
}

std::string http_api::train_answer(std::string body, bool start) const {
  boost::system::error_code ec;
  auto doc = boost::json::parse(body, ec);
  if (ec || !doc.is_object())
    return body;
  auto& o = doc.get_object();
  const auto live =
      cfg_.exploit ? cfg_.exploit->live_info() : analytics::make_rule_threat_model()->info();
  o["model_version"] = live.version;
  o["accuracy"] = live.accuracy ? boost::json::value(*live.accuracy) : boost::json::value(nullptr);
  if (const auto* v = live.details.if_contains("validation"))
    o["metrics"] = *v;
  if (start && cfg_.exploit) {
    const auto job = cfg_.exploit->retrain();
    o["training_job"] = job;
    o["message"] = "Stored the examples. Retraining on the CVE catalogue and every labelled "
                   "example stored so far runs in the background as job " +
                   std::string(job.at("id").as_string()) +
                   "; model-info shows the new version once it is swapped in.";
  }
  return boost::json::serialize(doc);
}

} // namespace qs::actors
