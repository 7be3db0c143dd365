#include "runtime/cluster/dispatcher.hpp"

#include <algorithm>
#include <tuple>
#include <utility>

namespace qs::runtime::cluster {

namespace {

bool contains(const std::vector<std::string>& values, const std::string& value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

std::string joined(const std::vector<std::string>& values) {
  std::string out;
  for (const auto& value : values)
    out += (out.empty() ? "" : ", ") + value;
  return out;
}

qs::error deadline_passed() {
  return qs::error(errc::timeout, "deadline passed");
}

// Tasks are re-queued at the front one by one, newest first, so the oldest ends up first.
template<class Sent> bool newest_first(const Sent& a, const Sent& b) {
  return a.sequence > b.sequence;
}

} // namespace

dispatcher::dispatcher(dispatcher_config config) : config_(config) {}

bool dispatcher::submit(task work) {
  if (in_flight_.count(work.id) > 0 || queued_ids_.count(work.id) > 0)
    return false;
  queued_ids_.insert(work.id);
  work.attempt = std::max(work.attempt, 1);
  queue_.push_back(std::move(work));
  return true;
}

void dispatcher::credit(const std::string& node_id, const std::string& role, int n) {
  if (n > 0)
    nodes_[node_id].credits[role] += n;
}

void dispatcher::set_ring(const std::string& role, const std::vector<std::string>& node_ids) {
  if (node_ids.empty()) {
    rings_.erase(role);
    return;
  }
  hash_ring ring;
  for (const auto& id : node_ids)
    ring.add(id);
  rings_.insert_or_assign(role, std::move(ring));
}

std::optional<std::string> dispatcher::pick_node(const task& work, time_point now) const {
  if (!work.shard_key.empty()) {
    const auto ring = rings_.find(work.role);
    const auto owner = ring == rings_.end() ? std::nullopt : ring->second.owner(work.shard_key);
    if (owner && !contains(work.failed_on, *owner)) {
      const auto load = nodes_.find(*owner);
      const bool has_credit = load != nodes_.end() && load->second.credits.count(work.role) > 0 &&
                              load->second.credits.at(work.role) > 0;
      if (has_credit)
        return owner;
      if (now - work.queued_at < config_.task_timeout)
        return std::nullopt; // wait for the owner
    }
  }
  // Prefer a node the task has not failed on; then the most credits left (the least
  // busy), then the fewest tasks in flight; ties go to the smallest id.
  const std::string* best = nullptr;
  auto best_rank = std::make_tuple(false, 0, 0);
  for (const auto& [id, load] : nodes_) {
    auto credit = load.credits.find(work.role);
    if (credit == load.credits.end() || credit->second <= 0)
      continue;
    auto rank = std::make_tuple(!contains(work.failed_on, id), credit->second, -load.in_flight);
    if (best == nullptr || rank > best_rank) {
      best = &id;
      best_rank = rank;
    }
  }
  if (best == nullptr)
    return std::nullopt;
  return *best;
}

std::vector<assignment> dispatcher::next_assignments(time_point now) {
  // Stops as soon as no node has a credit left, so a long queue costs nothing while
  // the workers are busy (queued deadlines are checked by `expire`).
  int credits_left = 0;
  for (const auto& [id, load] : nodes_)
    for (const auto& [role, n] : load.credits)
      credits_left += std::max(n, 0);
  std::vector<assignment> out;
  std::deque<task> skipped; // could not go anywhere yet; they keep their place
  while (!queue_.empty() && credits_left > 0) {
    task work = std::move(queue_.front());
    queue_.pop_front();
    if (now >= work.deadline) {
      queued_ids_.erase(work.id);
      abandoned_.push_back({std::move(work), deadline_passed()});
      continue;
    }
    auto node_id = pick_node(work, now);
    if (!node_id) {
      skipped.push_back(std::move(work));
      continue;
    }
    node_load& load = nodes_[*node_id];
    --load.credits[work.role];
    --credits_left;
    ++load.in_flight;
    queued_ids_.erase(work.id);
    in_flight_.emplace(work.id, sent_task{work, *node_id, now, ++sent_count_});
    out.push_back({*node_id, std::move(work)});
  }
  for (auto it = skipped.rbegin(); it != skipped.rend(); ++it)
    queue_.push_front(std::move(*it));
  return out;
}

dispatcher::sent_task dispatcher::take_in_flight(std::map<std::string, sent_task>::iterator it) {
  sent_task sent = std::move(it->second);
  in_flight_.erase(it);
  auto load = nodes_.find(sent.node_id);
  if (load != nodes_.end() && load->second.in_flight > 0)
    --load->second.in_flight;
  return sent;
}

bool dispatcher::complete(const std::string& task_id, const std::string& node_id) {
  // A node that timed out or failed may still answer first; any node the task was sent
  // to is believed, since tasks are idempotent.
  auto sent = in_flight_.find(task_id);
  if (sent != in_flight_.end()) {
    if (sent->second.node_id != node_id && !contains(sent->second.task.failed_on, node_id))
      return false;
    take_in_flight(sent);
  } else {
    auto queued = std::find_if(queue_.begin(), queue_.end(),
                               [&](const task& work) { return work.id == task_id; });
    if (queued == queue_.end() || !contains(queued->failed_on, node_id))
      return false;
    queued_ids_.erase(task_id);
    queue_.erase(queued);
  }
  auto load = nodes_.find(node_id);
  if (load != nodes_.end())
    ++load->second.tasks_done;
  return true;
}

bool dispatcher::fail(const std::string& task_id, const std::string& node_id, const qs::error& why,
                      time_point now) {
  auto sent = in_flight_.find(task_id);
  if (sent == in_flight_.end() || sent->second.node_id != node_id)
    return false;
  retry(take_in_flight(sent).task, node_id, why, now);
  return true;
}

void dispatcher::retry(task work, const std::string& node_id, const qs::error& why,
                       time_point now) {
  if (!contains(work.failed_on, node_id))
    work.failed_on.push_back(node_id);
  if (static_cast<int>(work.failed_on.size()) >= config_.max_failed_nodes) {
    std::string reason = "failed on " + std::to_string(work.failed_on.size()) + " nodes (" +
                         joined(work.failed_on) + "); last: " + why.message;
    dead_letters_.push_back({work.id, work.role, reason, work.attempt, work.failed_on});
    while (dead_letters_.size() > config_.max_dead_letters)
      dead_letters_.pop_front();
    abandoned_.push_back({std::move(work), qs::error(why.code, std::move(reason))});
    return;
  }
  if (now >= work.deadline) {
    abandoned_.push_back({std::move(work), deadline_passed()});
    return;
  }
  ++work.attempt;
  queued_ids_.insert(work.id);
  queue_.push_front(std::move(work));
}

void dispatcher::retry_all_on(const std::string& node_id, const std::string* role,
                              const qs::error& why, time_point now) {
  std::vector<sent_task> lost;
  for (auto it = in_flight_.begin(); it != in_flight_.end();) {
    bool match = it->second.node_id == node_id && (!role || it->second.task.role == *role);
    if (match)
      lost.push_back(take_in_flight(it++));
    else
      ++it;
  }
  std::sort(lost.begin(), lost.end(), newest_first<sent_task>);
  for (auto& sent : lost)
    retry(std::move(sent.task), node_id, why, now);
}

void dispatcher::expire(time_point now) {
  const auto late = [&](const task& work) { return now >= work.deadline; };
  for (auto it = queue_.begin(); it != queue_.end();) {
    if (late(*it)) {
      queued_ids_.erase(it->id);
      abandoned_.push_back({std::move(*it), deadline_passed()});
      it = queue_.erase(it);
    } else {
      ++it;
    }
  }
  std::vector<sent_task> timed_out;
  for (auto it = in_flight_.begin(); it != in_flight_.end();) {
    const auto timeout = timeout_of(it->second.task.role);
    if (late(it->second.task))
      abandoned_.push_back({take_in_flight(it++).task, deadline_passed()});
    else if (timeout && now - it->second.sent_at >= *timeout)
      timed_out.push_back(take_in_flight(it++));
    else
      ++it;
  }
  std::sort(timed_out.begin(), timed_out.end(), newest_first<sent_task>);
  for (auto& sent : timed_out) {
    const qs::error why(errc::timeout, "no answer from node " + sent.node_id + " within " +
                                           std::to_string(timeout_of(sent.task.role)->count()) +
                                           " ms");
    retry(std::move(sent.task), sent.node_id, why, now);
  }
}

void dispatcher::node_dead(const std::string& node_id, time_point now) {
  retry_all_on(node_id, nullptr, qs::error(errc::node_lost, "node " + node_id + " died"), now);
  nodes_.erase(node_id);
}

void dispatcher::withdraw(const std::string& node_id) {
  auto load = nodes_.find(node_id);
  if (load != nodes_.end())
    load->second.credits.clear();
}

void dispatcher::role_down(const std::string& node_id, const std::string& role, time_point now) {
  auto load = nodes_.find(node_id);
  if (load != nodes_.end())
    load->second.credits.erase(role);
  retry_all_on(node_id, &role,
               qs::error(errc::node_lost, "role " + role + " is down on node " + node_id), now);
}

std::vector<abandoned_task> dispatcher::take_abandoned() {
  return std::exchange(abandoned_, {});
}

std::vector<dead_letter> dispatcher::dead_letters() const {
  return {dead_letters_.begin(), dead_letters_.end()};
}

int dispatcher::in_flight(const std::string& node_id) const {
  auto load = nodes_.find(node_id);
  return load == nodes_.end() ? 0 : load->second.in_flight;
}

std::uint64_t dispatcher::tasks_done(const std::string& node_id) const {
  auto load = nodes_.find(node_id);
  return load == nodes_.end() ? 0 : load->second.tasks_done;
}

int dispatcher::credits(const std::string& node_id, const std::string& role) const {
  auto load = nodes_.find(node_id);
  if (load == nodes_.end())
    return 0;
  auto credit = load->second.credits.find(role);
  return credit == load->second.credits.end() ? 0 : credit->second;
}

std::optional<dispatcher::time_point> dispatcher::next_timeout() const {
  std::optional<time_point> earliest;
  const auto consider = [&](time_point t) {
    if (!earliest || t < *earliest)
      earliest = t;
  };
  for (const auto& work : queue_)
    consider(work.deadline);
  for (const auto& [id, sent] : in_flight_) {
    consider(sent.task.deadline);
    if (const auto timeout = timeout_of(sent.task.role))
      consider(sent.sent_at + *timeout);
  }
  return earliest;
}

std::optional<std::chrono::milliseconds> dispatcher::timeout_of(const std::string& role) const {
  const auto it = config_.role_timeouts.find(role);
  if (it == config_.role_timeouts.end())
    return config_.task_timeout;
  if (it->second.count() <= 0)
    return std::nullopt;
  return it->second;
}

} // namespace qs::runtime::cluster
