// The coordinator's end of the cluster link (docs/protocol.md): a ZAP handler, a CURVE
// ROUTER bound to one endpoint, and the `membership` and `dispatcher` that decide who is
// in the cluster and who gets which task. Nodes connect with a `node_link`.
//
// What it does with each message (the routing id names the connection, the ZAP User-Id
// its authenticated key): HELLO admits the node (WELCOME, with the cluster's id) or says
// why not (REFUSE with an error code, and the reason goes to `on_log`), a persistence
// node only when its database is the cluster's (database_rule.hpp); every frame counts as a
// heartbeat; READY credits the node; RESULT completes a task (the first result only reaches
// `on_result`); FAILED retries it elsewhere; BYE drains the node; ROLE_DOWN stops that
// role's work there; a REQUEST_* goes to `on_request` with its type, and its answer goes
// back as a REPLY with the same correlation id; a BATCH is each of its messages in turn.
// A message from a connection that is not
// (or no longer) a member, as after a coordinator restart, is answered with HELLO:
// "introduce yourself". A message that does not decode is logged, counted and dropped;
// a peer speaking another protocol version is also told so in a REFUSE written in its
// own version (`protocol::version_refusal`). Every tick it declares silent nodes dead,
// re-dispatches their tasks, sends TASK frames for new assignments, heartbeats the
// nodes and reports abandoned tasks. What it sends to one node while its socket thread is
// busy goes out together, in one BATCH (protocol/message_batch.hpp).
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

#include "protocol/envelope.hpp"
#include "protocol/roles.hpp"
#include "runtime/cluster/curve_keys.hpp"
#include "runtime/cluster/database_rule.hpp"
#include "runtime/cluster/dispatcher.hpp"
#include "runtime/cluster/errc.hpp"
#include "runtime/cluster/hash_ring.hpp"
#include "runtime/cluster/membership.hpp"
#include "runtime/expected.hpp"

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
  std::string node_id;    ///< told in every WELCOME; empty: `node_id_from_key(keys.public_key)`
  std::string cluster_id; ///< told in every WELCOME (runtime/cluster/cluster_id.hpp)
  /// The coordinator's own database when it runs the persistence role (empty id when
  /// not): persistence nodes are admitted beside it by database_rule.hpp.
  served_database own_database;
  std::string allow_dir; ///< the allow-list folder (`allow_list`)
  std::chrono::milliseconds heartbeat_interval{1000};
  int missed_heartbeats = 3; ///< silent this many intervals = dead
  std::chrono::milliseconds task_timeout{5000};
  /// Per role, in place of `task_timeout`; 0: none (see dispatcher.hpp).
  std::map<protocol::role, std::chrono::milliseconds> role_timeouts{{protocol::role::scanner, {}}};
  int max_failed_nodes = 3;
  std::chrono::milliseconds tick{100};          ///< how often silent nodes and timeouts are checked
  std::chrono::milliseconds allow_recheck{500}; ///< how often the allow-list is re-read
  std::chrono::milliseconds forget_after = std::chrono::minutes(10); ///< dead nodes are dropped
  /// Roles whose tasks carry a shard key: their nodes form a hash ring, and each node of
  /// the role hears a SHARD_MAP whenever the ring changes.
  std::vector<protocol::role> keyed_roles{protocol::role::anomaly};
};

/// Answers a request once, from any thread: a value (one CBOR item, in the codec of what
/// was asked) or an error; sent back as a REPLY.
using request_answer = std::function<void(qs::expected<std::string>)>;

struct coordinator_callbacks {
  /// A task's first result: its payload, one CBOR item (duplicates are not reported).
  std::function<void(const std::string& task_id, const std::string& payload)> on_result;
  /// A task given up: its deadline passed (cluster::errc::timeout), or it failed on too
  /// many nodes (the code of its last failure: a persistence node's storage error stays
  /// one; the message says it was set aside).
  std::function<void(const std::string& task_id, const qs::error& why)> on_abandoned;
  /// A node's REQUEST_* (`kind`), its body as sent. Answer it by calling `answer` once,
  /// from any thread, even after the link stopped (then it does nothing).
  std::function<void(const std::string& node_id, protocol::message_type kind,
                     const std::string& body, request_answer answer)>
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
  static qs::expected<std::unique_ptr<coordinator_link>>
  start(zmq::context_t& context, coordinator_options options, coordinator_callbacks callbacks);

  ~coordinator_link();
  coordinator_link(const coordinator_link&) = delete;
  coordinator_link& operator=(const coordinator_link&) = delete;

  /// The bound endpoint with its real port ("tcp://127.0.0.1:41234"). @threadsafe
  const std::string& endpoint() const;

  /// Queues a task for the socket thread; a task id already pending is reported to
  /// `on_abandoned`. A non-empty `shard_key` sends it to the key's owner
  /// (`dispatcher::set_ring`). @threadsafe
  /// `payload` is one CBOR item, the role's task codec.
  void submit(std::string task_id, protocol::role role, std::string payload,
              clock::time_point deadline, std::string shard_key = {});

  /// The node that owns `key` on the ring of the keyed role `role`, as of the last
  /// change; none when no node runs it. @threadsafe
  std::optional<std::string> owner(protocol::role role, const std::string& key) const;

  /// Every known node as of the last tick or message. @threadsafe
  std::vector<node_info> nodes() const;

  /// Tasks set aside after failing on too many nodes. @threadsafe
  std::vector<dead_letter> dead_letters() const;

  /// Messages dropped because they did not decode. @threadsafe
  std::uint64_t malformed() const { return malformed_.load(); }

  /// Messages sent to nodes, and the ZeroMQ messages that carried them (fewer: each
  /// node's messages queued together travel in one BATCH). @threadsafe
  std::uint64_t messages_sent() const;
  std::uint64_t wire_messages_sent() const;

  /// Closes the ROUTER, then the ZAP handler. Idempotent; not from a callback.
  void stop();

private:
  struct state; // everything the socket thread owns
  explicit coordinator_link(coordinator_options options, coordinator_callbacks callbacks);

  void on_message(received message);
  // One message from `route` (alone, or out of a BATCH). True when the sender is not a
  // member and should be asked to say HELLO.
  bool handle(const std::string& route, const std::string& user_id,
              const protocol::envelope& envelope, clock::time_point now);
  void on_tick(clock::time_point now);
  void on_send_error(std::vector<std::string> frames, const std::string& reason);
  void hello(const std::string& route, const std::string& user_id, const std::string& body,
             clock::time_point now);
  void request(const std::string& node_id, const protocol::envelope& message);
  void refuse(const std::string& route, const std::string& who, const qs::error& why);
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
  const std::string node_id_;
  const coordinator_callbacks callbacks_;
  std::shared_ptr<allow_list> allowed_;
  std::unique_ptr<zap_handler> zap_;
  std::unique_ptr<socket_thread> socket_;
  std::atomic<socket_thread*> sender_{nullptr}; // set once `socket_` is, for callbacks
  std::unique_ptr<state> state_;                // socket thread only
  std::atomic<std::uint64_t> malformed_{0};
  std::shared_ptr<std::atomic<socket_thread*>> responder_; // null once stopped, for `respond`

  mutable std::mutex mutex_;
  std::vector<task> submitted_;               // GUARDED_BY(mutex_)
  std::vector<node_info> nodes_;              // GUARDED_BY(mutex_)
  std::vector<dead_letter> dead_letters_;     // GUARDED_BY(mutex_)
  std::map<protocol::role, hash_ring> rings_; // GUARDED_BY(mutex_); by keyed role
};

} // namespace qs::runtime::cluster
