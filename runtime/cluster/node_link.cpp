#include "runtime/cluster/node_link.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <random>
#include <thread>
#include <utility>

#include <zmq.hpp>

#include "protocol/message_batch.hpp"
#include "runtime/cluster/node_link_state.hpp"
#include "runtime/cluster/socket_thread.hpp"

namespace qs::runtime::cluster {

using protocol::message_type;

void return_credit(node_link::shared& link, std::optional<protocol::role> role, bool flush_all) {
  if (role)
    ++link.returned[*role];
  for (auto& [r, n] : link.returned)
    if (n > 0 && (flush_all || n >= link.ready_batch[r])) {
      if (!link.draining)
        link.send_locked(message_type::ready, "", protocol::encode(protocol::ready{r, n}));
      n = 0;
    }
}

namespace {

// Sends a task's answer, through the test-only faults when there are any.
void send_answer(node_link::shared& link, const message_faults& faults, message_type type,
                 const std::string& task_id, const std::string& body) {
  thread_local std::mt19937_64 random{std::random_device{}()};
  std::uniform_real_distribution<double> chance(0.0, 1.0);
  if (faults.drop > 0 && chance(random) < faults.drop)
    return;
  link.send_locked(type, task_id, body);
  if (faults.duplicate > 0 && chance(random) < faults.duplicate)
    link.send_locked(type, task_id, body);
}

} // namespace

task_reply make_reply(std::weak_ptr<node_link::shared> weak, std::string task_id,
                      std::optional<protocol::role> role, std::uint64_t generation,
                      message_faults faults) {
  auto done = std::make_shared<std::atomic<bool>>(false);
  return [weak = std::move(weak), task_id = std::move(task_id), role, generation, done,
          faults](qs::expected<std::string> outcome) {
    if (done->exchange(true))
      return; // answered already
    const bool ok = static_cast<bool>(outcome);
    std::string body =
        ok ? protocol::encode(protocol::task_result{std::move(*outcome)})
           : protocol::encode(protocol::task_failure{protocol::to_wire(outcome.error())});
    auto answer = [weak, task_id, role, generation, faults, ok, body = std::move(body)] {
      const auto link = weak.lock();
      if (!link)
        return; // the link is gone
      std::lock_guard<std::mutex> lock(link->mutex);
      if (link->generation != generation)
        return; // sent on a connection since replaced: the coordinator re-dispatched it
      send_answer(*link, faults, ok ? message_type::result : message_type::failed, task_id, body);
      return_credit(*link, role, false);
    };
    if (faults.max_delay.count() <= 0)
      return answer();
    thread_local std::mt19937_64 random{std::random_device{}()};
    const auto delay = std::chrono::milliseconds(
        std::uniform_int_distribution<long long>(0, faults.max_delay.count())(random));
    std::thread([answer, delay] {
      std::this_thread::sleep_for(delay);
      answer();
    }).detach();
  };
}

node_link::node_link(zmq::context_t& context, node_options options, node_callbacks callbacks)
    : context_(context), options_(std::move(options)), callbacks_(std::move(callbacks)),
      node_id_(options_.node_id.empty() ? node_id_from_key(options_.keys.public_key)
                                        : options_.node_id),
      shared_(std::make_shared<shared>()) {
  for (const auto role : options_.roles)
    shared_->ready_batch[role] = std::max(1, options_.capacity_of(role) / 4);
}

qs::expected<std::unique_ptr<node_link>>
node_link::start(zmq::context_t& context, node_options options, node_callbacks callbacks) {
  if (options.heartbeat_interval.count() <= 0 || options.missed_heartbeats <= 0)
    return qs::error(errc::setup_failed,
                     "the heartbeat interval and the missed heartbeats must be positive");
  std::unique_ptr<node_link> self(new node_link(context, std::move(options), std::move(callbacks)));
  auto socket = self->connect();
  if (!socket)
    return socket.error();
  {
    std::lock_guard<std::mutex> lock(self->owner_mutex_);
    self->socket_ = std::move(*socket);
    std::lock_guard<std::mutex> shared_lock(self->shared_->mutex);
    self->shared_->socket = self->socket_.get();
  }
  self->say_hello();
  try {
    self->supervisor_ = std::thread(&node_link::supervise, self.get());
  } catch (const std::system_error& e) {
    return qs::error(errc::setup_failed,
                     std::string("cannot start the node link's supervisor: ") + e.what());
  }
  return qs::expected<std::unique_ptr<node_link>>(std::move(self));
}

node_link::~node_link() {
  stop();
}

qs::expected<std::unique_ptr<socket_thread>> node_link::connect() {
  socket_options s;
  s.type = ZMQ_DEALER;
  s.bind_or_connect = options_.coordinator;
  s.public_key = options_.keys.public_key;
  s.secret_key = options_.keys.secret_key;
  s.server_key = options_.coordinator_key;
  const auto interval = options_.heartbeat_interval;
  s.heartbeat_ivl_ms = static_cast<int>(interval.count());
  s.heartbeat_timeout_ms = static_cast<int>(interval.count() * options_.missed_heartbeats);
  s.tick = interval;
  s.coalesce = [](std::vector<std::vector<std::string>> queued) {
    return protocol::coalesce(std::move(queued), /*routed=*/false);
  };
  last_heard_ = clock::now().time_since_epoch().count();
  return socket_thread::start(
      context_, std::move(s), [this](received message) { on_message(std::move(message)); },
      [this](clock::time_point) { on_tick(); });
}

void node_link::say_hello() {
  protocol::hello hello;
  hello.node_id = node_id_;
  hello.roles = options_.roles;
  hello.capacity = options_.capacity;
  hello.protocol_version = options_.hello_protocol_version;
  hello.public_key = options_.keys.public_key;
  hello.address = options_.address;
  if (options_.database) {
    const auto db = options_.database();
    hello.database_id = db.id;
    hello.database_kind = db.kind;
    hello.database_cluster = db.cluster;
  }
  last_hello_ = clock::now().time_since_epoch().count();
  shared_->send(message_type::hello, "", protocol::encode(hello));
}

void node_link::drain() {
  std::lock_guard<std::mutex> lock(shared_->mutex);
  shared_->draining = true;
  shared_->send_locked(message_type::bye, "", "");
}

void node_link::request(message_type kind, std::string body, reply_handler on_reply) {
  std::lock_guard<std::mutex> lock(shared_->mutex);
  std::string id = std::to_string(++shared_->next_request);
  shared_->requests.emplace(id, shared::pending_request{kind, std::move(on_reply), clock::now()});
  shared_->send_locked(kind, std::move(id), std::move(body));
}

std::size_t node_link::pending_requests() const {
  std::lock_guard<std::mutex> lock(shared_->mutex);
  return shared_->requests.size();
}

void node_link::role_down(protocol::role role) {
  shared_->send(message_type::role_down, "", protocol::encode(protocol::role_down{role}));
}

void node_link::stop() {
  {
    std::lock_guard<std::mutex> lock(owner_mutex_);
    stopping_ = true;
  }
  wake_supervisor_.notify_all();
  if (supervisor_.joinable())
    supervisor_.join();
  std::unique_ptr<socket_thread> socket;
  {
    std::lock_guard<std::mutex> lock(owner_mutex_);
    socket = std::move(socket_);
  }
  {
    std::lock_guard<std::mutex> lock(shared_->mutex);
    shared_->socket = nullptr; // later replies do nothing
  }
  if (socket)
    socket->stop();
}

void node_link::supervise() {
  const auto silence_limit = options_.heartbeat_interval * options_.missed_heartbeats;
  std::unique_lock<std::mutex> lock(owner_mutex_);
  while (!stopping_) {
    wake_supervisor_.wait_for(lock, options_.heartbeat_interval);
    // Not admitted yet: one interval without an answer is enough (a CURVE handshake
    // refused before this key was allowed is never retried by libzmq).
    const auto limit = admitted_ ? silence_limit : options_.heartbeat_interval * 2;
    const auto heard = clock::time_point(clock::duration(last_heard_.load()));
    if (stopping_ || refused_ || clock::now() - heard < limit)
      continue;
    log(admitted_
            ? "the coordinator at " + options_.coordinator + " was silent for " +
                  std::to_string(options_.missed_heartbeats) + " heartbeat intervals; reconnecting"
            : "no WELCOME from " + options_.coordinator + " yet; connecting again");
    auto fresh = connect();
    if (!fresh) {
      log("cannot reconnect: " + fresh.error().message);
      continue; // try again after the next silence limit (connect reset last_heard_)
    }
    std::unique_ptr<socket_thread> old = std::move(socket_);
    socket_ = std::move(*fresh);
    {
      std::lock_guard<std::mutex> shared_lock(shared_->mutex);
      shared_->socket = socket_.get();
      ++shared_->generation;
      shared_->returned.clear(); // the WELCOME's READY gives back the whole capacity
    }
    admitted_ = false;
    ++reconnects_;
    lock.unlock();
    old->stop(); // its callbacks take only shared_->mutex, which is free
    say_hello();
    lock.lock();
  }
}

void node_link::on_tick() {
  std::vector<shared::pending_request> late;
  {
    std::lock_guard<std::mutex> lock(shared_->mutex);
    shared_->send_locked(message_type::heartbeat, "", "");
    return_credit(*shared_, std::nullopt, true);
    const auto too_old = clock::now() - options_.request_timeout;
    for (auto it = shared_->requests.begin(); it != shared_->requests.end();)
      if (it->second.sent_at < too_old) {
        late.push_back(std::move(it->second));
        it = shared_->requests.erase(it);
      } else {
        ++it;
      }
  }
  for (auto& request : late) // outside the lock: a handler may send another request
    request.on_reply(
        qs::error(errc::timeout, "the coordinator did not answer a " +
                                     std::string(protocol::to_string(request.kind)) + " within " +
                                     std::to_string(options_.request_timeout.count()) + " ms"));
}

void node_link::log(const std::string& line) const {
  if (callbacks_.on_log)
    callbacks_.on_log(line);
}

} // namespace qs::runtime::cluster
