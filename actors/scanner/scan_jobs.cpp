#include "actors/scanner/scan_jobs.hpp"

#include <cmath>
#include <ctime>
#include <iostream>
#include <limits>
#include <random>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "actors/messages.hpp"
#include "actors/scanner/asset_scan.hpp"
#include "actors/scanner/report_json.hpp"
#include "actors/scanner/scan_job_requests.hpp"
#include "actors/scanner/scan_job_runs.hpp"
#include "protocol/answer_codec.hpp"
#include "protocol/json_writer.hpp"
#include "protocol/timestamp.hpp"
#include "runtime/metrics/registry.hpp"

namespace qs::actors {

namespace {

namespace json = boost::json;
using self_ptr = caf::stateful_actor<scan_jobs_state>*;
using analyzed_atom = caf::atom_constant<caf::atom("analyzed")>;
using store_again_atom = caf::atom_constant<caf::atom("storeagain")>;
using resume_atom = caf::atom_constant<caf::atom("resume")>;
using schedules_atom = caf::atom_constant<caf::atom("schedules")>;

constexpr auto schedule_check = std::chrono::seconds(1);

constexpr int max_store_attempts = 30; // one a second

std::string endpoint_of(const scanner::target& t) {
  return (t.address.find(':') != std::string::npos ? "[" + t.address + "]" : t.address) + ":" +
         std::to_string(t.port);
}

void count_job(runtime::metrics::registry& m, const char* outcome) {
  m.add("qscan_scan_jobs_total", std::string("outcome=\"") + outcome + "\"");
}

} // namespace

caf::behavior scan_jobs(self_ptr self, scan_jobs_config cfg) {
  auto& m = *cfg.metrics;
  m.describe("qscan_scan_jobs_total", "counter",
             "Scan jobs by outcome: accepted, refused, done, failed");
  m.describe("qscan_scan_chunks_in_flight", "gauge", "Scan chunks sent to scanners, not yet back");
  auto& st = self->state;
  st.targets = std::make_unique<scanner::target_metrics>(cfg.metrics, cfg.target_metrics);

  // Finishes a job in storage and forgets it.
  auto finish = [self, cfg](const std::string& id, const std::string& status,
                            const std::string& error) {
    if (auto done = cfg.db->finish_scan_job(id, status, error); !done)
      std::cerr << "qscan: scan job " << id << ": " << done.error().message << std::endl;
    count_job(*cfg.metrics, status == "done" ? "done" : "failed");
    self->state.jobs.erase(id);
  };

  // Sends queued chunks to the scanners, one job after another in turn.
  // In the state, not captured by itself: a self-capturing function would never be
  // freed, nor the actors its configuration holds.
  st.pump = [self, cfg] {
    auto& st = self->state;
    while (st.in_flight < cfg.max_chunks_in_flight) {
      auto it = st.jobs.upper_bound(st.turn);
      for (std::size_t tried = 0; tried <= st.jobs.size(); ++tried, ++it) {
        if (it == st.jobs.end())
          it = st.jobs.begin();
        if (it == st.jobs.end() || !it->second.queued.empty())
          break;
      }
      if (it == st.jobs.end() || it->second.queued.empty())
        break;
      auto& run = it->second;
      const std::string id = it->first;
      st.turn = id;
      const std::size_t chunk = run.queued.back();
      run.queued.pop_back();
      const std::size_t first = chunk * run.chunk_size;
      const std::size_t last = std::min(run.request.targets.size(), first + run.chunk_size);
      scan_chunk work;
      work.targets.assign(run.request.targets.begin() + static_cast<std::ptrdiff_t>(first),
                          run.request.targets.begin() + static_cast<std::ptrdiff_t>(last));
      work.timeout = run.request.timeout;
      work.probes_per_endpoint = run.request.probes_per_endpoint;
      ++run.in_flight;
      ++st.in_flight;
      auto on_scanned = [self, cfg, id, chunk, targets = work.targets](scan_chunk_outcome out) {
        if (out.error.empty() && out.results.size() != targets.size())
          out.error = "the scanner answered for " + std::to_string(out.results.size()) +
                      " targets of " + std::to_string(targets.size());
        if (!out.error.empty())
          out.results = not_scanned(targets, out.error);
        caf::anon_send(caf::actor_cast<caf::actor>(self), scan_done_atom::value, id, chunk,
                       std::move(out));
      };
      self->request(cfg.scanners, caf::infinite, scan_atom::value, std::move(work))
          .then([on_scanned](scan_chunk_outcome& out) { on_scanned(std::move(out)); },
                [self, on_scanned](caf::error& err) {
                  scan_chunk_outcome out;
                  out.error = self->system().render(err);
                  on_scanned(std::move(out));
                });
    }
    cfg.metrics->set("qscan_scan_chunks_in_flight", "", static_cast<double>(st.in_flight));
  };

  // Stores an analysed chunk; on success the job moves on or is done.
  auto store = [self, cfg, finish](std::uint64_t token) {
    auto& st = self->state;
    auto c = st.chunks.find(token);
    if (c == st.chunks.end())
      return;
    auto stored = cfg.db->store_scan_results(c->second.job, c->second.rows);
    if (!stored && ++c->second.store_attempts < max_store_attempts) {
      self->delayed_send(self, std::chrono::seconds(1), store_again_atom::value, token);
      return;
    }
    if (stored) {
      const auto now = static_cast<double>(std::time(nullptr));
      for (const auto& per_target : c->second.results)
        for (const auto& r : per_target)
          st.targets->record(r, now);
    }
    const std::string id = c->second.job;
    st.chunks.erase(c);
    --st.in_flight;
    auto run = st.jobs.find(id);
    if (run != st.jobs.end()) {
      --run->second.in_flight;
      if (!stored)
        finish(id, "failed", "cannot store results: " + stored.error().message);
      else if (run->second.queued.empty() && run->second.in_flight == 0)
        finish(id, "done", "");
    }
    self->state.pump();
  };

  // Queues a job's chunks that have no stored results.
  auto start = [self, finish](const std::string& id, scan_jobs_state::job_run run,
                              const std::vector<bool>& stored_chunks) {
    for (std::size_t k = chunk_count(run); k-- > 0;)
      if (k >= stored_chunks.size() || !stored_chunks[k])
        run.queued.push_back(k);
    if (run.queued.empty())
      return finish(id, "done", "");
    self->state.jobs.insert_or_assign(id, std::move(run));
    self->state.pump();
  };

  // Checks and stores a schedule (POST /v1/schedules).
  auto add_schedule = [=](const scan_submission& sub) -> scan_submitted {
    auto made = scanner::new_schedule(sub, cfg.policy, cfg.max_targets, cfg.json,
                                      static_cast<std::int64_t>(std::time(nullptr)));
    if (auto* refused = std::get_if<scan_submitted>(&made))
      return *refused;
    const auto& s = std::get<runtime::storage::schedule>(made);
    if (auto created = cfg.db->create_schedule(s); !created) {
      std::cerr << "qscan: storage unavailable for schedule of " << sub.request_id << ": "
                << created.error().message << std::endl;
      return scanner::refusal(503, "storage_unavailable", "storage is unavailable; try again");
    }
    protocol::json_writer out;
    scanner::write_schedule(out, s);
    return {201, out.release(), 0};
  };

  // Starts each schedule's due run once (see claim_schedule_run): skipped while its
  // previous run is still going; missed runs made up once, with the next after now.
  auto run_schedules = [=] {
    auto& st = self->state;
    auto all = cfg.db->list_schedules();
    if (!all) {
      if (!st.schedules_unreadable) // once, until they can be read again
        std::cerr << "qscan: cannot read schedules (trying every second): " << all.error().message
                  << std::endl;
      st.schedules_unreadable = true;
      return;
    }
    st.schedules_unreadable = false;
    const auto now = static_cast<std::int64_t>(std::time(nullptr));
    for (const auto& s : *all) {
      if (s.next_run > now)
        continue;
      const auto next = scanner::following_run(s, now).value_or(now + 86400);
      if (!s.last_scan.empty()) {
        auto last = cfg.db->find_scan_job(s.last_scan);
        if (last && *last && ((*last)->status == "queued" || (*last)->status == "running")) {
          if (auto skipped = cfg.db->claim_schedule_run(s.id, s.next_run, next, std::nullopt);
              skipped && *skipped)
            std::cerr << "qscan: schedule " << s.id << ": run skipped, " << s.last_scan
                      << " is still " << (*last)->status << std::endl;
          continue;
        }
      }
      runtime::storage::scan_job job;
      job.id = scanner::run_job_id(s, s.next_run);
      job.owner = s.owner;
      job.created_at = job.updated_at = protocol::now_iso8601();
      boost::system::error_code ec;
      const auto body = json::parse(s.request, ec);
      std::optional<scan_jobs_state::job_run> run;
      auto read = scanner::admitted_request(ec ? json::value() : body, cfg.policy, cfg.max_targets);
      if (auto* refused = std::get_if<scan_submitted>(&read)) {
        job.status = "failed";
        job.error = "the scheduled run was refused: " + refused->body;
        job.request = json::serialize(json::object{{"request", body}, {"schedule", s.id}});
      } else {
        run.emplace();
        run->request = std::get<scanner::scan_request>(std::move(read));
        run->chunk_size = cfg.chunk_size;
        job.request = scanner::stored_request(body, run->request, cfg.chunk_size, s.id);
        job.total = static_cast<std::int64_t>(run->request.targets.size());
      }
      auto claimed = cfg.db->claim_schedule_run(s.id, s.next_run, next, job);
      if (!claimed) {
        std::cerr << "qscan: schedule " << s.id << ": " << claimed.error().message << std::endl;
        continue;
      }
      if (!*claimed)
        continue; // claimed elsewhere, or deleted
      count_job(*cfg.metrics, run ? "accepted" : "refused");
      std::cerr << "qscan: schedule " << s.id << " started " << job.id << std::endl;
      if (run)
        start(job.id, std::move(*run), {});
    }
  };

  // Checks and stores a job; it starts at once when accepted.
  auto submit = [=](const scan_submission& sub) -> scan_submitted {
    if (sub.kind == "schedule")
      return add_schedule(sub);
    auto parsed = protocol::parse_json(sub.body, cfg.json);
    if (auto* err = std::get_if<protocol::json_error>(&parsed))
      return scanner::refusal(400, err->code.c_str(), err->message);
    const auto& body = std::get<json::value>(parsed);
    auto read = scanner::admitted_request(body, cfg.policy, cfg.max_targets);
    if (auto* refused = std::get_if<scan_submitted>(&read)) {
      count_job(*cfg.metrics, "refused");
      return *refused;
    }
    auto request = std::get<scanner::scan_request>(std::move(read));
    std::map<std::string, int> needs;
    std::map<std::string, std::size_t> first_of; // an endpoint's first target
    for (std::size_t i = 0; i < request.targets.size(); ++i)
      if (request.targets[i].kind != scanner::target_kind::file) {
        const auto endpoint = endpoint_of(request.targets[i]);
        ++needs[endpoint];
        first_of.try_emplace(endpoint, i);
      }
    const double rate = cfg.scans_per_endpoint_per_minute;
    auto limited = self->state.endpoints.take_all(needs, rate / 60.0, rate);
    if (!limited.empty()) {
      count_job(*cfg.metrics, "refused");
      protocol::problems details;
      double wait = 0;
      bool never = false;
      for (const auto& [endpoint, seconds] : limited) {
        never = never || std::isinf(seconds);
        wait = std::max(wait, seconds);
        details.push_back(
            {protocol::index_path("targets", first_of[endpoint]),
             endpoint + (std::isinf(seconds)
                             ? ": more scans in one job than allowed "
                               "a minute"
                             : ": scanned too often; again in " +
                                   std::to_string(static_cast<int>(std::ceil(seconds))) + " s")});
      }
      char limit[32];
      std::snprintf(limit, sizeof limit, "%g", rate);
      const std::string message = std::string("an endpoint may be scanned ") + limit +
                                  " times a minute (--scans-per-endpoint-per-minute)";
      if (never)
        return scanner::refusal(422, "too_many_scans_of_one_endpoint", message, details);
      auto r = scanner::refusal(429, "scan_rate_limited", message, details);
      r.retry_after = static_cast<int>(std::ceil(wait));
      return r;
    }
    runtime::storage::scan_job job;
    job.id = scanner::new_job_id();
    job.request = scanner::stored_request(body, request, cfg.chunk_size);
    job.total = static_cast<std::int64_t>(request.targets.size());
    job.owner = sub.owner;
    job.created_at = job.updated_at = protocol::now_iso8601();
    if (auto created = cfg.db->create_scan_job(job); !created) {
      std::cerr << "qscan: storage unavailable for scan job of " << sub.request_id << ": "
                << created.error().message << std::endl;
      return scanner::refusal(503, "storage_unavailable", "storage is unavailable; try again");
    }
    count_job(*cfg.metrics, "accepted");
    scan_jobs_state::job_run run;
    run.request = std::move(request);
    run.chunk_size = cfg.chunk_size;
    start(job.id, std::move(run), {});
    protocol::json_writer out;
    out.begin_object();
    out.key("id").value(job.id);
    out.key("status").value("queued");
    out.key("total").value(job.total);
    out.key("created_at").value(job.created_at);
    out.key("links").begin_object();
    out.key("self").value("/v1/scans/" + job.id);
    out.key("cbom").value("/v1/scans/" + job.id + "/cbom");
    out.key("sarif").value("/v1/scans/" + job.id + "/sarif");
    out.end_object();
    out.end_object();
    return {202, out.release(), 0};
  };

  self->send(self, resume_atom::value);
  self->send(self, schedules_atom::value);
  return {
      [=](schedules_atom) {
        run_schedules();
        self->delayed_send(self, schedule_check, schedules_atom::value);
      },
      [=](scan_atom, const scan_submission& sub) -> scan_submitted { return submit(sub); },
      [=](scan_atom, const scan_submission& sub, const scan_reply& reply) {
        (*reply)(submit(sub));
      },
      [=](scan_done_atom, const std::string& id, std::size_t chunk, scan_chunk_outcome& out) {
        auto& st = self->state;
        auto run = st.jobs.find(id);
        if (run == st.jobs.end()) {
          --st.in_flight;
          return self->state.pump();
        }
        const auto token = ++st.next_chunk;
        auto& c = st.chunks[token];
        c.job = id;
        c.chunk = chunk;
        c.results = std::move(out.results);
        auto work = std::make_shared<job>();
        work->op = operation::enhance;
        work->request_id = id + "-" + std::to_string(chunk);
        work->route = "scan";
        work->received_at = protocol::now_iso8601();
        for (const auto& per_target : c.results)
          for (const auto& r : per_target)
            if (r.error.empty()) {
              work->results.push_back(scanner::asset_scan(r, work->received_at, id));
              work->quantum_scores.push_back(r.quantum_risk_score);
            }
        const std::size_t first = chunk * run->second.chunk_size;
        if (work->results.empty()) {
          c.rows = rows_of(c, first, nullptr, "");
          return store(token);
        }
        auto me = caf::actor_cast<caf::actor>(self);
        auto reply = std::make_shared<std::function<void(job_outcome)>>(
            [me, token, first](job_outcome outcome) {
              caf::anon_send(me, analyzed_atom::value, token, first, std::move(outcome));
            });
        caf::anon_send(cfg.analyzer, analyze_atom::value, job_ptr{std::move(work)},
                       reply_fn{reply});
      },
      [=](analyzed_atom, std::uint64_t token, std::size_t first, job_outcome& outcome) {
        auto c = self->state.chunks.find(token);
        if (c == self->state.chunks.end())
          return;
        boost::system::error_code ec;
        const auto answer = json::parse(outcome.body, ec);
        std::string error;
        if (outcome.status != 200 || ec)
          error = "the analysis failed (" + std::to_string(outcome.status) +
                  "): " + outcome.body.substr(0, 300);
        c->second.rows = rows_of(c->second, first, ec ? nullptr : &answer, error);
        store(token);
      },
      [=](store_again_atom, std::uint64_t token) { store(token); },
      [=](resume_atom) {
        auto unfinished = cfg.db->unfinished_scan_jobs();
        if (!unfinished) {
          // On a coordinator, storage is reached once a persistence node has joined.
          std::cerr << "qscan: cannot resume scan jobs yet (trying again in 2 s): "
                    << unfinished.error().message << std::endl;
          self->delayed_send(self, std::chrono::seconds(2), resume_atom::value);
          return;
        }
        for (const auto& job : *unfinished) {
          // A detached actor may take a submission before this first message:
          // that job is running already, not left over from before a restart.
          if (self->state.jobs.count(job.id))
            continue;
          auto restored = restore(job, std::numeric_limits<std::size_t>::max());
          if (auto* why = std::get_if<std::string>(&restored)) {
            finish(job.id, "failed", "cannot resume: " + *why);
            continue;
          }
          auto run = std::get<scan_jobs_state::job_run>(std::move(restored));
          std::vector<bool> stored(chunk_count(run), false);
          std::int64_t after = -1;
          for (;;) {
            auto page = cfg.db->scan_results(job.id, after, 1000);
            if (!page) {
              std::cerr << "qscan: cannot resume scan job " << job.id << ": "
                        << page.error().message << std::endl;
              break;
            }
            for (const auto& row : *page) {
              const auto target = static_cast<std::size_t>(row.position >> position_bits);
              if (target / run.chunk_size < stored.size())
                stored[target / run.chunk_size] = true;
              after = row.position;
            }
            if (page->size() < 1000)
              break;
          }
          std::cerr << "qscan: resuming scan job " << job.id << " (" << job.done << " of "
                    << job.total << " targets done)" << std::endl;
          start(job.id, std::move(run), stored);
        }
      },
  };
}

} // namespace qs::actors
