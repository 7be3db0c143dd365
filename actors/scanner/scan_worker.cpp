#include "actors/scanner/scan_worker.hpp"

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "actors/scanner/net/scan_runner.hpp"
#include "runtime/metrics/registry.hpp"

namespace qs::actors {

/// A fixed set of threads running queued jobs in order; the destructor lets the
/// running ones finish, drops the queued ones and joins.
class scan_thread_pool {
public:
  explicit scan_thread_pool(std::size_t threads) {
    for (std::size_t i = 0; i < std::max<std::size_t>(threads, 1); ++i)
      threads_.emplace_back([this] { run(); });
  }
  ~scan_thread_pool() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
      queue_.clear();
    }
    wake_.notify_all();
    for (auto& t : threads_)
      t.join();
  }
  void post(std::function<void()> job) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      queue_.push_back(std::move(job));
    }
    wake_.notify_one();
  }

private:
  void run() {
    for (;;) {
      std::function<void()> job;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (stopping_)
          return;
        job = std::move(queue_.front());
        queue_.pop_front();
      }
      job();
    }
  }

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> queue_; // GUARDED_BY(mutex_)
  bool stopping_ = false;                   // GUARDED_BY(mutex_)
  std::vector<std::thread> threads_;
};

namespace {

void count_outcomes(const std::vector<std::vector<scanner::target_result>>& results,
                    runtime::metrics::registry& m) {
  for (const auto& per_target : results)
    for (const auto& r : per_target) {
      const char* outcome = r.error.empty() ? "scanned" : "error";
      m.add("qscan_scan_targets_total",
            std::string("kind=\"") + scanner::to_string(r.kind) + "\",outcome=\"" + outcome + "\"");
      if (r.kind != scanner::target_kind::file)
        m.observe("qscan_scan_target_duration_seconds",
                  std::string("kind=\"") + scanner::to_string(r.kind) + "\"",
                  static_cast<double>(r.elapsed_ms) / 1000.0);
    }
}

scan_chunk_outcome scan(const scan_chunk& chunk, const scanner::scan_policy& policy,
                        runtime::metrics::registry& metrics) {
  scan_chunk_outcome out;
  out.results.resize(chunk.targets.size());
  std::vector<scanner::target> admitted;
  std::vector<std::size_t> where;
  for (std::size_t i = 0; i < chunk.targets.size(); ++i) {
    const auto& t = chunk.targets[i];
    if (auto why = scanner::check_admitted(t, policy); !why.empty()) {
      scanner::target_result refused;
      refused.target = t.text;
      refused.kind = t.kind;
      refused.host = t.host;
      refused.port = t.port;
      refused.error = "refused: " + why;
      out.results[i].push_back(std::move(refused));
      continue;
    }
    admitted.push_back(t);
    where.push_back(i);
  }
  scanner::net::scan_options o;
  o.timeout = chunk.timeout;
  o.probes_per_endpoint = chunk.probes_per_endpoint;
  o.concurrency = std::max<std::size_t>(admitted.size(), 1);
  auto scanned = scanner::net::scan_each(admitted, o);
  for (std::size_t k = 0; k < scanned.size(); ++k)
    out.results[where[k]] = std::move(scanned[k]);
  count_outcomes(out.results, metrics);
  return out;
}

} // namespace

caf::behavior scan_worker(caf::stateful_actor<scan_worker_state>* self, scan_worker_config cfg) {
  auto& m = *cfg.metrics;
  m.describe("qscan_scan_targets_total", "counter",
             "Scan results by kind (tls, ssh, file) and outcome (scanned, error)");
  m.describe("qscan_scan_target_duration_seconds", "histogram",
             "Time to inventory one network target, all its probes included");
  self->state.pool = std::make_shared<scan_thread_pool>(cfg.threads);
  return {
      [=](scan_atom, scan_chunk& chunk) -> caf::result<scan_chunk_outcome> {
        auto& st = self->state;
        const auto id = ++st.next;
        auto promise = self->make_response_promise<scan_chunk_outcome>();
        st.pending.emplace(id, promise);
        auto me = caf::actor_cast<caf::actor>(self);
        st.pool->post(
            [me, id, chunk = std::move(chunk), policy = cfg.policy, metrics = cfg.metrics] {
              caf::anon_send(me, scan_done_atom::value, id, scan(chunk, policy, *metrics));
            });
        return promise;
      },
      [=](scan_done_atom, std::uint64_t id, scan_chunk_outcome& out) {
        auto it = self->state.pending.find(id);
        if (it == self->state.pending.end())
          return;
        auto promise = std::move(it->second);
        self->state.pending.erase(it);
        promise.deliver(std::move(out));
      },
  };
}

} // namespace qs::actors
