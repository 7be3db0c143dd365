#include "actors/scanner/scan_job_runs.hpp"

#include <boost/json/parse.hpp>

#include "actors/scanner/report_json.hpp"
#include "protocol/json_writer.hpp"

namespace qs::actors {

namespace json = boost::json;

std::variant<scan_jobs_state::job_run, std::string> restore(const runtime::storage::scan_job& job,
                                                            std::size_t max_targets) {
  boost::system::error_code ec;
  auto stored = json::parse(job.request, ec);
  if (ec || !stored.is_object() || !stored.as_object().contains("request"))
    return std::string("its stored request is not readable");
  auto read = scanner::read_scan_request(stored.as_object()["request"], max_targets);
  if (auto* problems = std::get_if<protocol::problems>(&read))
    return "its stored request has " + std::to_string(problems->size()) + " problems";
  scan_jobs_state::job_run run;
  run.request = std::get<scanner::scan_request>(std::move(read));
  const auto* addresses = stored.as_object().if_contains("addresses");
  const auto* chunk = stored.as_object().if_contains("chunk");
  if (!addresses || !addresses->is_array() ||
      addresses->as_array().size() != run.request.targets.size() || !chunk || !chunk->is_int64() ||
      chunk->as_int64() < 1)
    return std::string("its stored addresses do not match its targets");
  for (std::size_t i = 0; i < run.request.targets.size(); ++i)
    if (const auto& a = addresses->as_array()[i]; a.is_string())
      run.request.targets[i].address = std::string(a.as_string());
  run.chunk_size = static_cast<std::size_t>(chunk->as_int64());
  return run;
}

std::size_t chunk_count(const scan_jobs_state::job_run& run) {
  return (run.request.targets.size() + run.chunk_size - 1) / run.chunk_size;
}

std::vector<std::vector<scanner::target_result>> not_scanned(const std::vector<scanner::target>& ts,
                                                             const std::string& why) {
  std::vector<std::vector<scanner::target_result>> out;
  for (const auto& t : ts) {
    scanner::target_result r;
    r.target = t.text;
    r.kind = t.kind;
    r.host = t.host;
    r.port = t.port;
    r.address = t.address;
    r.error = "not scanned: " + why;
    out.push_back({std::move(r)});
  }
  return out;
}

std::vector<runtime::storage::scan_result_row> rows_of(const scan_jobs_state::chunk_run& c,
                                                       std::size_t first_target,
                                                       const json::value* answer,
                                                       const std::string& analysis_error) {
  const json::array* predictions = nullptr;
  const json::array* anomalies = nullptr;
  bool degraded = false;
  if (answer && answer->is_object()) {
    const auto& o = answer->as_object();
    if (const auto* p = o.if_contains("ai_predictions"); p && p->is_array())
      predictions = &p->as_array();
    if (const auto* a = o.if_contains("anomaly_detections"); a && a->is_array())
      anomalies = &a->as_array();
    if (const auto* d = o.if_contains("degraded"); d && d->is_bool())
      degraded = d->as_bool();
  }
  std::vector<runtime::storage::scan_result_row> rows;
  std::size_t analysed = 0; // index among the results sent to analysis
  for (std::size_t i = 0; i < c.results.size(); ++i)
    for (std::size_t k = 0; k < c.results[i].size(); ++k) {
      const auto& r = c.results[i][k];
      protocol::json_writer out;
      scanner::write_result(out, r, [&](protocol::json_writer& w) {
        if (!r.error.empty())
          return; // nothing was learned: not analysed
        const std::size_t at = analysed++;
        w.key("analysis").begin_object();
        if (!analysis_error.empty()) {
          w.key("error").value(analysis_error);
        } else {
          w.key("degraded").value(degraded);
          if (predictions && at < predictions->size())
            w.key("threat").value((*predictions)[at]);
          if (anomalies && at < anomalies->size())
            w.key("anomaly").value((*anomalies)[at]);
        }
        w.end_object();
      });
      const auto position = (static_cast<std::int64_t>(first_target + i) << position_bits) +
                            static_cast<std::int64_t>(k);
      rows.push_back({position, r.target, out.release()});
    }
  return rows;
}

} // namespace qs::actors
