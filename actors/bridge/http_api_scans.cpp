// The bridge's scan jobs and schedules: a new job or schedule handed to the scan
// jobs actor (with its audit line), the list of jobs, a job's status, progress and
// results (a page at a time), the whole job as a CycloneDX CBOM or as SARIF, and the
// schedules. Reads go to the scan job store (on a storage thread), where the
// coordinator that runs the jobs keeps them.
#include <boost/json/parse.hpp>

#include <caf/send.hpp>

#include "actors/bridge/http_api.hpp"
#include "actors/bridge/responses.hpp"
#include "actors/scanner/report_cbom.hpp"
#include "actors/scanner/report_read.hpp"
#include "actors/scanner/report_sarif.hpp"
#include "actors/scanner/scan_job_requests.hpp"
#include "protocol/json_writer.hpp"
#include "runtime/auth/audit.hpp"

namespace qs::actors {

namespace http = runtime::http;
namespace auth = runtime::auth;

namespace {

/// The job's fields; `targets_shown`: its request is summed up as its first targets
/// (for lists), or shown whole (SIZE_MAX).
void write_job(protocol::json_writer& out, const runtime::storage::scan_job& job,
               std::size_t targets_shown = SIZE_MAX) {
  out.key("id").value(job.id);
  out.key("status").value(job.status);
  out.key("error");
  job.error.empty() ? out.null() : out.value(job.error);
  out.key("created_at").value(job.created_at);
  out.key("updated_at").value(job.updated_at);
  out.key("progress").begin_object();
  out.key("done").value(job.done);
  out.key("total").value(job.total);
  out.end_object();
  boost::system::error_code ec;
  auto stored = boost::json::parse(job.request, ec);
  const boost::json::value* request = nullptr;
  if (!ec && stored.is_object())
    request = stored.as_object().if_contains("request");
  if (targets_shown == SIZE_MAX) {
    out.key("request");
    request ? out.value(*request) : out.null();
  } else {
    const auto* schedule =
        stored.is_object() ? stored.as_object().if_contains("schedule") : nullptr;
    out.key("schedule");
    schedule && schedule->is_string() ? out.value(*schedule) : out.null();
    out.key("targets").begin_array();
    const boost::json::value* targets =
        request && request->is_object() ? request->as_object().if_contains("targets") : nullptr;
    if (targets && targets->is_array())
      for (std::size_t i = 0; i < targets->as_array().size() && i < targets_shown; ++i)
        out.value(targets->as_array()[i]);
    out.end_array();
  }
  out.key("links").begin_object();
  out.key("self").value("/v1/scans/" + job.id);
  out.key("cbom").value("/v1/scans/" + job.id + "/cbom");
  out.key("sarif").value("/v1/scans/" + job.id + "/sarif");
  out.end_object();
}

} // namespace

http::response http_api::scan_list(const http::request& req) {
  auto page = page_params(req, static_cast<std::int64_t>(cfg_.max_scan_page));
  if (auto* bad = std::get_if<http::response>(&page))
    return std::move(*bad);
  const auto [offset, limit] = std::get<std::pair<std::int64_t, std::int64_t>>(page);
  const auto status = req.query_param("status");
  if (!status.empty() && status != "queued" && status != "running" && status != "done" &&
      status != "failed")
    return error_response(400, "invalid_request", "bad query parameter",
                          {{"query.status", "expected queued, running, done or failed"}});
  auto jobs = stores_.scan_jobs->list_scan_jobs(offset, limit, status);
  if (!jobs)
    return storage_unavailable(req, jobs.error());
  protocol::json_writer out;
  out.begin_object();
  out.key("scans").begin_array();
  for (const auto& job : jobs->jobs) {
    out.begin_object();
    write_job(out, job, 5);
    out.end_object();
  }
  out.end_array();
  out.key("total").value(jobs->total);
  out.key("offset").value(offset);
  out.key("limit").value(limit);
  out.end_object();
  return json_response(200, out.release());
}

void http_api::submit_scan(const caller& who, const http::request& req, respond_fn respond,
                           const std::string& kind) {
  if (!cfg_.scan_jobs)
    return respond(error_response(501, "not_implemented", "this bridge takes no scans"));
  if (!json_content_type(req.header("Content-Type")))
    return respond(error_response(415, "unsupported_media_type",
                                  "expected Content-Type: application/json, got " +
                                      std::string(req.header("Content-Type"))));
  scan_submission sub{req.body, who.key ? who.key->id : std::string(), req.id, kind};
  const bool schedule = kind == "schedule";
  // Who asked, for the audit line of an accepted job (copied: the request is gone by then).
  std::vector<std::string> asker;
  if (who.key)
    asker = {who.key->name, who.key->id, req.remote_address, req.id};
  auto reply = std::make_shared<std::function<void(scan_submitted)>>(
      [respond = std::move(respond), asker, schedule](scan_submitted out) {
        auto r = json_response(out.status, std::move(out.body));
        if (out.status == 429 || out.status == 503)
          r.headers.emplace_back("Retry-After", std::to_string(std::max(out.retry_after, 1)));
        if (out.status == 202 || out.status == 201) {
          boost::system::error_code ec;
          auto answer = boost::json::parse(r.body, ec);
          if (!ec && answer.is_object() && answer.as_object().contains("id")) {
            const auto& a = answer.as_object();
            const std::string id(a.at("id").as_string());
            r.headers.emplace_back("Location", (schedule ? "/v1/schedules/" : "/v1/scans/") + id);
            const auto* targets = a.if_contains("targets");
            const auto count =
                schedule ? (targets && targets->is_array() ? targets->as_array().size() : 0)
                         : static_cast<std::size_t>(a.at("total").as_int64());
            if (!asker.empty())
              auth::audit(schedule ? "schedule" : "scan", asker[0],
                          {{"key_id", asker[1]},
                           {"remote", asker[2]},
                           {"request_id", asker[3]},
                           {schedule ? "schedule" : "scan_job", id},
                           {"targets", std::to_string(count)}});
          }
        }
        respond(std::move(r));
      });
  caf::anon_send(cfg_.scan_jobs, scan_atom::value, std::move(sub), scan_reply{reply});
}

http::response http_api::schedule_list(const http::request& req) {
  auto all = stores_.scan_jobs->list_schedules();
  if (!all)
    return storage_unavailable(req, all.error());
  protocol::json_writer out;
  out.begin_object();
  out.key("schedules").begin_array();
  for (const auto& s : *all)
    scanner::write_schedule(out, s);
  out.end_array();
  out.end_object();
  return json_response(200, out.release());
}

http::response http_api::schedule_one(const route_match& route, const http::request& req) {
  if (req.method == "DELETE") {
    auto deleted = stores_.scan_jobs->delete_schedule(route.scan_id);
    if (!deleted)
      return storage_unavailable(req, deleted.error());
    if (!*deleted)
      return error_response(404, "not_found", "no schedule " + route.scan_id);
    http::response r;
    r.status = 204;
    return r;
  }
  auto found = stores_.scan_jobs->find_schedule(route.scan_id);
  if (!found)
    return storage_unavailable(req, found.error());
  if (!*found)
    return error_response(404, "not_found", "no schedule " + route.scan_id);
  protocol::json_writer out;
  scanner::write_schedule(out, **found);
  return json_response(200, out.release());
}

http::response http_api::scan_status(const route_match& route, const http::request& req) {
  auto limit = number_param(req, "limit", 100, 1, static_cast<std::int64_t>(cfg_.max_scan_page));
  if (auto* bad = std::get_if<http::response>(&limit))
    return std::move(*bad);
  auto after = number_param(req, "cursor", -1, -1, std::numeric_limits<std::int64_t>::max());
  if (auto* bad = std::get_if<http::response>(&after))
    return std::move(*bad);
  auto job = stores_.scan_jobs->find_scan_job(route.scan_id);
  if (!job)
    return storage_unavailable(req, job.error());
  if (!*job)
    return error_response(404, "not_found", "no scan job " + route.scan_id);
  auto rows =
      stores_.scan_jobs->scan_results(route.scan_id, std::get<std::int64_t>(after),
                                      static_cast<std::size_t>(std::get<std::int64_t>(limit)) + 1);
  if (!rows)
    return storage_unavailable(req, rows.error());
  const bool more = rows->size() > static_cast<std::size_t>(std::get<std::int64_t>(limit));
  if (more)
    rows->pop_back();
  protocol::json_writer out;
  out.begin_object();
  write_job(out, **job);
  out.key("results").begin_array();
  for (const auto& row : *rows)
    out.raw(row.result);
  out.end_array();
  out.key("next");
  more ? out.value(std::to_string(rows->back().position)) : out.null();
  out.end_object();
  return json_response(200, out.release());
}

http::response http_api::scan_report(const route_match& route, const http::request& req) {
  auto job = stores_.scan_jobs->find_scan_job(route.scan_id);
  if (!job)
    return storage_unavailable(req, job.error());
  if (!*job)
    return error_response(404, "not_found", "no scan job " + route.scan_id);
  const auto& found = **job;
  if (found.status == "queued" || found.status == "running")
    return error_response(409, "scan_not_finished",
                          "scan job " + found.id + " is " + found.status + " (" +
                              std::to_string(found.done) + " of " + std::to_string(found.total) +
                              " targets done); its report is ready once it is done");
  std::vector<scanner::target_result> results;
  std::int64_t after = -1;
  for (;;) {
    auto rows = stores_.scan_jobs->scan_results(found.id, after, 1000);
    if (!rows)
      return storage_unavailable(req, rows.error());
    for (const auto& row : *rows) {
      boost::system::error_code ec;
      auto value = boost::json::parse(row.result, ec);
      auto read = ec ? std::variant<scanner::target_result, std::string>("not JSON")
                     : scanner::read_result(value);
      if (auto* why = std::get_if<std::string>(&read))
        return storage_unavailable(req, qs::error(runtime::storage::errc::corrupt,
                                                  "scan job " + found.id + " result " +
                                                      std::to_string(row.position) + ": " + *why));
      results.push_back(std::get<scanner::target_result>(std::move(read)));
      after = row.position;
    }
    if (results.size() > cfg_.max_report_results)
      return error_response(413, "report_too_large",
                            "scan job " + found.id + " has more than " +
                                std::to_string(cfg_.max_report_results) +
                                " results; read them a page at a time from /v1/scans/" + found.id);
    if (rows->size() < 1000)
      break;
  }
  http::response r;
  if (route.id == route_id::scan_cbom) {
    r.body = scanner::results_cbom(results);
    r.content_type = "application/vnd.cyclonedx+json; version=1.6";
  } else {
    r.body = scanner::results_sarif(results);
    r.content_type = "application/sarif+json";
  }
  return r;
}

} // namespace qs::actors
