// The coordinator's end of the cluster link (docs/protocol.md): a ZAP handler, a CURVE
// ROUTER bound to one endpoint, and the `membership` and `dispatcher` that decide who is
// in the cluster and who gets which task. Nodes connect with a `node_link`.
//
// What it does with each message (the routing id names the connection, the ZAP User-Id
// its authenticated key): HELLO admits the node (WELCOME) or says why not (REFUSE, and
// the reason goes to `on_log`); every frame counts as a heartbeat; READY credits the
// node; RESULT completes a task (the first result only reaches `on_result`); FAILED
// retries it elsewhere; BYE drains the node; ROLE_DOWN stops that role's work there;
// REQUEST goes to `on_request`, whose answer goes back as a REPLY. A message from a
// connection that is not (or no longer) a member, as after a coordinator restart, is
// answered with HELLO: "introduce yourself". A message that does not decode is logged,
// counted and dropped (a peer speaking another wire version is also told so in a
// REFUSE). Every tick it declares silent nodes dead, re-dispatches their tasks, sends
// TASK frames for new assignments, heartbeats the nodes and reports abandoned tasks.
//
// Threading: `membership`, `dispatcher` and the routing table are touched only on the
// socket thread; the callbacks run there too (they must be quick and must not throw,
// and must not call `stop`). `submit`, `nodes`, `dead_letters`, the counters and
// `endpoint` may be called from any thread: `submit` queues the task under a mutex for
// the socket thread, the snapshots are copies refreshed on the socket thread every tick
// (so they lag by up to one tick). `start`, `stop` and the destructor
// belong to the owning thread; stop the link before closing the context.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "runtime/cluster/curve_keys.hpp"
#include "runtime/cluster/dispatcher.hpp"
#include "runtime/cluster/hash_ring.hpp"
#include "runtime/cluster/membership.hpp"
#include "runtime/result.hpp"

namespace zmq {
class context_t;
} // namespace zmq

namespace qs::runtime::cluster {

class allow_list;
class socket_thread;
class zap_handler;
struct received;

struct coordinator_options {
  std::string endpoint = "tcp://127.0.0.1:0"; ///< to bind; port 0 or * picks one
  key_pair keys;                              ///< this coordinator's CURVE pair
  std::string allow_dir;                      ///< the allow-list folder (`allow_list`)
  std::chrono::milliseconds heartbeat_interval{1000};
  int missed_heartbeats = 3; ///< silent this many intervals = dead
  std::chrono::milliseconds task_timeout{5000};
  /// Per role, in place of `task_timeout`; 0: none (see dispatcher.hpp).
  std::map<std::string, std::chrono::milliseconds> role_timeouts{{"scanner", {}}};
  int max_failed_nodes = 3;
  std::chrono::milliseconds tick{100};          ///< how often silent nodes and timeouts are checked
  std::chrono::milliseconds allow_recheck{500}; ///< how often the allow-list is re-read
  std::chrono::milliseconds forget_after = std::chrono::minutes(10); ///< dead nodes are dropped
  /// Roles whose tasks carry a shard key: their nodes form a hash ring, and each node of
  /// the role hears a SHARD_MAP whenever the ring changes.
  std::vector<std::string> keyed_roles{"anomaly"};
};

struct coordinator_callbacks {
  /// A task's first result (duplicates are not reported).
  std::function<void(const std::string& task_id, const std::string& body)> on_result;
  /// A task given up: its deadline passed, or it failed on too many nodes.
  std::function<void(const std::string& task_id, const std::string& reason)> on_abandoned;
  /// A bridge's REQUEST (`body` as sent). Answer it by calling `respond` once, from any
  /// thread, even after the link stopped (then it does nothing).
  std::function<void(const std::string& node_id, const std::string& body,
                     std::function<void(std::string)> respond)>
      on_request;
  /// One sentence about something an operator may want to know (a refused node, a dead
  /// node, a malformed message).
  std::function<void(const std::string& line)> on_log;
};

class coordinator_link {
public:
  using clock = std::chrono::steady_clock;

  /// Starts the ZAP handler, then binds the ROUTER. `context` must outlive the link and
  /// must not have a ZAP handler already. An error says what could not be done.
  static result<std::unique_ptr<coordinator_link>>
  start(zmq::context_t& context, coordinator_options options, coordinator_callbacks callbacks);

  ~coordinator_link();
  coordinator_link(const coordinator_link&) = delete;
  coordinator_link& operator=(const coordinator_link&) = delete;

  /// The bound endpoint with its real port ("tcp://127.0.0.1:41234"). @threadsafe
  const std::string& endpoint() const;

  /// Queues a task for the socket thread; a task id already pending is reported to
  /// `on_abandoned`. A non-empty `shard_key` sends it to the key's owner
  /// (`dispatcher::set_ring`). @threadsafe
  void submit(std::string task_id, std::string role, std::string body, clock::time_point deadline,
              std::string shard_key = {});

  /// The node that owns `key` on the ring of the keyed role `role`, as of the last
  /// change; none when no node runs it. @threadsafe
  std::optional<std::string> owner(const std::string& role, const std::string& key) const;

  /// Every known node as of the last tick or message. @threadsafe
  std::vector<node_info> nodes() const;

  /// Tasks set aside after failing on too many nodes. @threadsafe
  std::vector<dead_letter> dead_letters() const;

  /// Messages dropped because they did not decode. @threadsafe
  std::uint64_t malformed() const { return malformed_.load(); }

  /// Closes the ROUTER, then the ZAP handler. Idempotent; not from a callback.
  void stop();

private:
  struct state; // everything the socket thread owns
  explicit coordinator_link(coordinator_options options, coordinator_callbacks callbacks);

  void on_message(received message);
  void on_tick(clock::time_point now);
  void on_send_error(std::vector<std::string> frames, const std::string& reason);
  void hello(const std::string& route, const std::string& user_id, const std::string& body,
             clock::time_point now);
  void from_node(const std::string& node_id, const protocol::envelope& message,
                 clock::time_point now);
  void pump(clock::time_point now); // submissions, assignments, abandoned
  void publish_snapshots();         // `nodes_` and `dead_letters_`, every tick
  void refresh_rings();             // keyed roles' rings and SHARD_MAPs, when members changed
  void reply(const std::string& route, protocol::message_type type, std::string correlation_id,
             std::string body);
  void send(std::vector<std::string> frames);
  void log(const std::string& line) const;

  const coordinator_options options_;
  const coordinator_callbacks callbacks_;
  std::shared_ptr<allow_list> allowed_;
  std::unique_ptr<zap_handler> zap_;
  std::unique_ptr<socket_thread> socket_;
  std::atomic<socket_thread*> sender_{nullptr}; // set once `socket_` is, for callbacks
  std::unique_ptr<state> state_;                // socket thread only
  std::atomic<std::uint64_t> malformed_{0};
  std::shared_ptr<std::atomic<socket_thread*>> responder_; // null once stopped, for `respond`

  mutable std::mutex mutex_;
  std::vector<task> submitted_;            // GUARDED_BY(mutex_)
  std::vector<node_info> nodes_;           // GUARDED_BY(mutex_)
  std::vector<dead_letter> dead_letters_;  // GUARDED_BY(mutex_)
  std::map<std::string, hash_ring> rings_; // GUARDED_BY(mutex_); by keyed role
};

} // namespace qs::runtime::cluster
