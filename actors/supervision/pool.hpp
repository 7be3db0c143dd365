// A supervised pool of workers for one role (one-for-one supervision).
//
// The pool spawns `size` workers and monitors them. A task `(Atom, slice)` is
// sent to one worker with the task timeout; if the worker dies or does not
// answer, the task is retried once (on another worker, or for keyed routing on
// the same, restarted, shard). A task that failed twice is answered with an
// `Outcome` whose `error` says why: it is not retried further in this node.
// A dead worker is restarted within the restart budget; past the budget the
// role is down here and every task is answered with that error at once.
// The role's state goes to the node's health board and its counters (restarts,
// task failures, role up) to the node's metrics registry, both from the config.
// Outcome must have `std::string error` and `std::vector<std::size_t> indices`.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <caf/all.hpp>

#include "actors/messages.hpp"
#include "actors/supervision/restart_budget.hpp"
#include "actors/supervision/role_health.hpp"
#include "runtime/metrics/registry.hpp"

namespace qs::actors {

struct pool_config {
  std::string role; ///< "predictor", "anomaly"
  std::size_t size = 2;
  std::chrono::milliseconds task_timeout{500};
  std::size_t max_restarts = 5;
  std::chrono::milliseconds restart_window{10000};
  bool keyed = false; ///< route by `route_key` (anomaly shards) instead of round robin
  std::shared_ptr<role_health> health;                 ///< the node's board; not null
  std::shared_ptr<runtime::metrics::registry> metrics; ///< the node's metrics; not null
};

/// Spawns one worker; called again to restart worker `index`.
using worker_factory = std::function<caf::actor(caf::local_actor* parent, std::size_t index)>;
/// For keyed pools: which worker a slice belongs to.
using route_fn = std::function<std::size_t(const slice&, std::size_t workers)>;

struct pool_state {
  std::vector<caf::actor> workers;
  std::vector<std::vector<std::function<void()>>> waiting; ///< retries waiting for a restart
  restart_budget budget{5, std::chrono::seconds(10)};
  std::size_t next = 0;
  bool down = false;
  std::string down_reason;
  static inline const char* name = "pool";
};

template<class Atom, class Outcome> class pool {
public:
  using self_ptr = caf::stateful_actor<pool_state>*;

  static caf::behavior make(self_ptr self, pool_config cfg, worker_factory factory,
                            route_fn route) {
    auto& st = self->state;
    cfg.health->set(cfg.role, "ok");
    cfg.metrics->set("qscan_role_up", "role=\"" + cfg.role + "\"", 1);
    st.budget = restart_budget(cfg.max_restarts, cfg.restart_window);
    st.waiting.resize(cfg.size);
    for (std::size_t i = 0; i < cfg.size; ++i) {
      st.workers.push_back(factory(self, i));
      self->monitor(st.workers.back());
    }
    self->set_down_handler([=](caf::down_msg& dm) { on_down(self, cfg, factory, dm); });
    // Shutting the pool down shuts its workers down first (the state is gone
    // by the time attached functors run, so this cannot wait until then).
    self->set_exit_handler([self](caf::exit_msg& msg) {
      for (auto& w : self->state.workers)
        self->send_exit(w, msg.reason);
      self->quit(msg.reason);
    });
    return {
        [=](Atom, slice& task) -> caf::result<Outcome> {
          auto rp = self->template make_response_promise<Outcome>();
          dispatch(self, cfg, route, std::move(task), rp, 1, cfg.size);
          return rp;
        },
    };
  }

private:
  static Outcome failed(const slice& task, std::string why) {
    Outcome out;
    out.indices = task.indices;
    out.error = std::move(why);
    return out;
  }

  static void dispatch(self_ptr self, const pool_config& cfg, const route_fn& route, slice task,
                       caf::typed_response_promise<Outcome> rp, int attempt, std::size_t avoid) {
    auto& st = self->state;
    if (st.down) {
      rp.deliver(failed(task, st.down_reason));
      return;
    }
    std::size_t index;
    if (cfg.keyed && route) {
      index = route(task, st.workers.size());
    } else {
      index = st.next++ % st.workers.size();
      if (index == avoid && st.workers.size() > 1)
        index = st.next++ % st.workers.size();
    }
    caf::actor worker = st.workers[index];
    self->request(worker, cfg.task_timeout, Atom::value, task)
        .then([rp](Outcome& out) mutable { rp.deliver(std::move(out)); },
              [=](caf::error& err) mutable {
                cfg.metrics->add("qscan_task_failures_total", "role=\"" + cfg.role + "\"");
                if (attempt >= 2) {
                  rp.deliver(failed(task, cfg.role + " task failed twice on this node (last: " +
                                              self->system().render(err) + "); not retried here"));
                  return;
                }
                auto retry = [=]() mutable {
                  dispatch(self, cfg, route, task, rp, attempt + 1, index);
                };
                // The worker died: wait for its restart before retrying on it.
                if (err != caf::sec::request_timeout && self->state.workers[index] == worker &&
                    !self->state.down)
                  self->state.waiting[index].push_back(std::move(retry));
                else
                  retry();
              });
  }

  static void on_down(self_ptr self, const pool_config& cfg, const worker_factory& factory,
                      caf::down_msg& dm) {
    auto& st = self->state;
    for (std::size_t i = 0; i < st.workers.size(); ++i) {
      if (st.workers[i].address() != dm.source)
        continue;
      auto waiting = std::move(st.waiting[i]);
      st.waiting[i].clear();
      if (!st.down && st.budget.try_spend(restart_budget::clock::now())) {
        st.workers[i] = factory(self, i);
        self->monitor(st.workers[i]);
        cfg.metrics->add("qscan_actor_restarts_total", "role=\"" + cfg.role + "\"");
      } else if (!st.down) {
        st.down = true;
        st.down_reason = cfg.role +
                         " is down on this node: " + std::to_string(st.budget.max_restarts()) +
                         " restarts within " + std::to_string(cfg.restart_window.count()) + " ms";
        cfg.metrics->set("qscan_role_up", "role=\"" + cfg.role + "\"", 0);
        cfg.health->set(cfg.role, "down", st.down_reason);
      }
      for (auto& retry : waiting)
        retry();
      return;
    }
  }
};

} // namespace qs::actors
