// The bridge's scan-job reads: a job's status, progress and results (a page at
// a time), and the whole job as a CycloneDX CBOM or as SARIF. They read the scan
// job store (on a storage thread), where the coordinator that runs the jobs keeps them.
#include <charconv>

#include <boost/json/parse.hpp>

#include "actors/bridge/http_api.hpp"
#include "actors/bridge/responses.hpp"
#include "actors/scanner/report_cbom.hpp"
#include "actors/scanner/report_read.hpp"
#include "actors/scanner/report_sarif.hpp"
#include "protocol/json_writer.hpp"

namespace qs::actors {

namespace http = runtime::http;

namespace {

// A whole number query parameter within [low, high], `fallback` when absent.
std::variant<std::int64_t, http::response> number_param(const http::request& req, const char* name,
                                                        std::int64_t fallback, std::int64_t low,
                                                        std::int64_t high) {
  const auto text = req.query_param(name);
  if (text.empty())
    return fallback;
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value < low || value > high)
    return error_response(
        400, "invalid_request", "bad query parameter",
        {{std::string("query.") + name,
          "expected a whole number from " + std::to_string(low) + " to " + std::to_string(high)}});
  return value;
}

void write_job(protocol::json_writer& out, const runtime::storage::scan_job& job) {
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
  out.key("request");
  if (!ec && stored.is_object() && stored.as_object().contains("request"))
    out.value(stored.as_object().at("request"));
  else
    out.null();
  out.key("links").begin_object();
  out.key("self").value("/v1/scans/" + job.id);
  out.key("cbom").value("/v1/scans/" + job.id + "/cbom");
  out.key("sarif").value("/v1/scans/" + job.id + "/sarif");
  out.end_object();
}

} // namespace

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
