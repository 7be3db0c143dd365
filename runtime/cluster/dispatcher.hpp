// Credit-based work distribution (ARCHITECTURE.md §4-§5): the coordinator queues tasks,
// workers pull them by sending READY credits per role, and this class decides which
// node gets which task.
//
// - A task goes only to a node with a credit for its role, preferring a node it has not
//   failed on; each assignment spends one credit.
// - Results are idempotent by task id: the first result for a pending task completes it,
//   a duplicate or unknown one is ignored (`complete` returns false).
// - A task that fails, is not answered within its role's timeout, or whose node dies
//   is queued again at the front with `attempt + 1`, and the node joins its
//   `failed_on`. The timeout is `task_timeout` unless `role_timeouts` names the role;
//   a role timeout of 0 means none: such tasks (scans: long, and not cheap to repeat)
//   are retried only when their node fails them, dies or stops running the role.
//   Once it has failed on `max_failed_nodes` distinct nodes it is set aside as a dead
//   letter with its reason, never retried forever.
// - A task with a `shard_key` waits for its key's owner on the role's consistent hash
//   ring (`set_ring`) to have a credit, for one task timeout at most; once it failed on
//   the owner or waited that long, any node may take it.
// - Bounded: a task whose deadline passed is given up with the reason "deadline passed".
//   Every task given up (deadline or dead letter) is handed back once by
//   `take_abandoned`, so the caller can answer its request degraded.
//
// Pure logic: no sockets, no threads, no clock of its own: every method that depends on
// time takes `now`.
//
// Not thread-safe: owned by the coordinator's transport thread; nothing else calls it.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "runtime/cluster/errc.hpp"
#include "runtime/cluster/hash_ring.hpp"
#include "runtime/expected.hpp"

namespace qs::runtime::cluster {

struct task {
  std::string id; ///< unique among pending tasks; results are matched by it
  std::string role;
  std::string body;
  /// When set, the task goes to the node that owns this key on the role's ring (see
  /// `set_ring`), so one node keeps the state of a key; elsewhere once it failed on the
  /// owner, or waited `task_timeout` since `queued_at` for the owner to have a credit
  /// (an owner that died silently takes none until it is declared dead).
  std::string shard_key;
  std::chrono::steady_clock::time_point queued_at{};
  std::chrono::steady_clock::time_point deadline;
  int attempt = 1;                    ///< 1 for the first try
  std::vector<std::string> failed_on; ///< nodes it failed, timed out or died on
};

struct assignment {
  std::string node_id;
  cluster::task task;
};

struct dead_letter {
  std::string task_id;
  std::string role;
  std::string reason; ///< "failed on 3 nodes (a, b, c); last: ..."
  int attempts = 0;
  std::vector<std::string> failed_on;
};

/// A task the dispatcher gave up on, with why: cluster::errc::timeout ("deadline
/// passed"), or a dead letter's reason with the code of its last failure.
struct abandoned_task {
  cluster::task task;
  qs::error error;
};

struct dispatcher_config {
  std::chrono::milliseconds task_timeout{500};
  std::map<std::string, std::chrono::milliseconds> role_timeouts; ///< 0: no timeout
  int max_failed_nodes = 3;
  std::size_t max_dead_letters = 1000; ///< the oldest are dropped past this
};

class dispatcher {
public:
  using time_point = std::chrono::steady_clock::time_point;

  explicit dispatcher(dispatcher_config config = {});

  /// Queues a task. False (and nothing changes) when a task with that id is pending.
  bool submit(task work);

  /// The node takes `n` more tasks of `role` (READY). Ignored for n <= 0.
  void credit(const std::string& node_id, const std::string& role, int n);

  /// Assigns queued tasks, oldest first, to nodes with credit; gives up on tasks whose
  /// deadline passed. The caller sends each assignment to its node.
  std::vector<assignment> next_assignments(time_point now);

  /// Records a task's result. True the first time a result arrives for a pending task
  /// from a node it was sent to; false for a duplicate, an unknown id or a node that
  /// never had the task.
  bool complete(const std::string& task_id, const std::string& node_id);

  /// The node could not do the task (`why`, as the node said): retry it elsewhere, or set
  /// it aside. False when the task is not in flight on that node (unknown, finished, or
  /// already moved on).
  bool fail(const std::string& task_id, const std::string& node_id, const qs::error& why,
            time_point now);

  /// Retries in-flight tasks unanswered for `task_timeout`; gives up on tasks whose
  /// deadline passed.
  void expire(time_point now);

  /// The node is gone: its credits are dropped and its in-flight tasks queued again at
  /// once.
  void node_dead(const std::string& node_id, time_point now);

  /// The nodes that own the keys of `role` (each on a consistent hash ring); an empty
  /// list removes the ring, and keyed tasks of that role then go to any node.
  void set_ring(const std::string& role, const std::vector<std::string>& node_ids);

  /// The node drains (BYE): drop its credits; its in-flight tasks may still finish.
  void withdraw(const std::string& node_id);

  /// The node stopped running `role`: drop its credits for the role and queue that
  /// role's tasks it had in flight again at once.
  void role_down(const std::string& node_id, const std::string& role, time_point now);

  /// Tasks given up since the last call, each once.
  std::vector<abandoned_task> take_abandoned();

  /// Tasks set aside after failing on `max_failed_nodes` nodes, oldest first.
  std::vector<dead_letter> dead_letters() const;

  int in_flight(const std::string& node_id) const;
  std::uint64_t tasks_done(const std::string& node_id) const;
  int credits(const std::string& node_id, const std::string& role) const;
  std::size_t queue_depth() const { return queue_.size(); }

  /// The earliest time `expire` or `next_assignments` has something to do (a task
  /// timeout or a deadline), for the caller's poll timeout; none when idle.
  std::optional<time_point> next_timeout() const;

private:
  struct sent_task {
    cluster::task task;
    std::string node_id;
    time_point sent_at;
    std::uint64_t sequence = 0; ///< dispatch order, to re-queue the oldest first
  };
  struct node_load {
    std::map<std::string, int> credits; ///< by role
    int in_flight = 0;
    std::uint64_t tasks_done = 0;
  };

  // Takes a task off `node_id` (that node's in-flight count included).
  sent_task take_in_flight(std::map<std::string, sent_task>::iterator it);
  // Queues the task again after it did not succeed on `node_id`, or gives it up.
  void retry(task work, const std::string& node_id, const qs::error& why, time_point now);
  // Retries every in-flight task of `node_id` (of `role` only, when given).
  void retry_all_on(const std::string& node_id, const std::string* role, const qs::error& why,
                    time_point now);
  std::optional<std::string> pick_node(const task& work, time_point now) const;
  // The role's timeout for an answer; none for a role with no timeout.
  std::optional<std::chrono::milliseconds> timeout_of(const std::string& role) const;

  dispatcher_config config_;
  std::deque<task> queue_;
  std::unordered_set<std::string> queued_ids_; ///< the ids in `queue_`
  std::map<std::string, sent_task> in_flight_; ///< by task id
  std::map<std::string, node_load> nodes_;     ///< by node id
  std::map<std::string, hash_ring> rings_;     ///< by role
  std::deque<dead_letter> dead_letters_;
  std::vector<abandoned_task> abandoned_;
  std::uint64_t sent_count_ = 0;
};

} // namespace qs::runtime::cluster
