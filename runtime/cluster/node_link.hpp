// A worker node's end of the cluster link (docs/protocol.md): a CURVE DEALER connected
// to the coordinator. On start it says HELLO (its id, roles, capacity, wire version
// and public key); once WELCOMEd it sends READY with `capacity` credits per role, a
// HEARTBEAT every interval, and gives back the credit of each task it answers in
// READYs of a quarter of its capacity (and every interval, whatever is left).
// `drain` says BYE: no more credits are sent, tasks already received may still finish.
//
// Requests: `request(kind, body, on_reply)` sends a REQUEST_* under a correlation id of
// the link's own and files `on_reply` with what was asked in a table of pending
// requests; the REPLY with that id reaches that handler and no other (a REPLY for no
// pending request is logged and dropped). A request unanswered for `request_timeout`
// is answered cluster::errc::timeout by the link, so every handler runs once.
//
// Reconnecting: when nothing is heard from the coordinator for `missed_heartbeats`
// intervals (it died, the network broke, or its ZAP handler refused this key: libzmq
// 4.3.4 never retries a DEALER whose CURVE handshake was refused, even once the key is
// allowed), a supervisor thread replaces the socket_thread with a new one and says
// HELLO again; so does a HELLO from the coordinator (it does not know this connection,
// as after it restarted). A REFUSE is final: it goes to `on_refused` with its error code
// and the link stops trying (a HELLO the coordinator turned down once would be turned
// down again). A frame of another protocol version is logged and dropped, unless it is
// a REFUSE (`protocol::version_refusal`): that is final too (wire_errc::version_mismatch).
//
// Batches: what the node sends while its socket thread is busy (RESULTs, READYs,
// requests) goes out together in one BATCH, and a BATCH from the coordinator is each of
// its messages in turn (protocol/message_batch.hpp).
//
// Threading: the callbacks and reply handlers run on the socket thread, one at a time
// (`on_task` must return quickly: do the work elsewhere and call `reply` later).
// `reply(outcome)` may be called from any thread, once (later calls are ignored), even
// after the link is gone (then it does nothing); a reply for a task received on a
// connection that was since replaced is dropped, as the coordinator has re-dispatched
// the task. `drain`, `request` and the accessors may be called from any thread;
// `start`, `stop` and the destructor belong to the owning thread. The destructor does
// not say BYE: destroying the link looks to the coordinator like a crash.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "protocol/envelope.hpp"
#include "protocol/link_messages.hpp"
#include "protocol/roles.hpp"
#include "runtime/cluster/curve_keys.hpp"
#include "runtime/cluster/database_rule.hpp"
#include "runtime/cluster/errc.hpp"
#include "runtime/expected.hpp"

namespace zmq {
class context_t;
} // namespace zmq

namespace qs::runtime::cluster {

class socket_thread;
struct received;

/// TESTS ONLY: a fault-injecting transport for RESULT and FAILED messages, to show
/// that lost, late and repeated answers change no outcome.
struct message_faults {
  double drop = 0;      ///< chance an answer is lost (its READY credit still goes out)
  double duplicate = 0; ///< chance an answer is sent twice
  std::chrono::milliseconds max_delay{0}; ///< each answer waits up to this long first
};

struct node_options {
  std::string coordinator;     ///< endpoint to connect, e.g. "tcp://10.0.0.1:7700"
  std::string coordinator_key; ///< the coordinator's CURVE public key, Z85
  key_pair keys;               ///< this node's CURVE pair
  std::string node_id;         ///< empty: `node_id_from_key(keys.public_key)`
  std::string address;         ///< optional, told in the HELLO: where operators reach it
  std::vector<protocol::role> roles;
  int capacity = 1;                            ///< READY credits per role at first
  std::map<protocol::role, int> role_capacity; ///< in place of `capacity` for these roles
  int capacity_of(protocol::role role) const {
    auto it = role_capacity.find(role);
    return it == role_capacity.end() ? capacity : it->second;
  }
  std::chrono::milliseconds heartbeat_interval{1000};
  int missed_heartbeats = 3; ///< coordinator silent this many intervals: reconnect
  std::chrono::milliseconds request_timeout{30000}; ///< a request unanswered this long times out
  /// A persistence node's database, as each HELLO tells it (read again at every HELLO:
  /// the cluster it belongs to changes when the node first claims it). Unset: none.
  std::function<served_database()> database;
  /// The version the HELLO claims. Only tests set it, to be refused.
  std::uint16_t hello_protocol_version = protocol::wire_version;
  message_faults faults; ///< only tests set these
};

/// Answers a task: RESULT with the payload (one CBOR item, the role's answer codec), or
/// FAILED with the error, which sends the task elsewhere.
using task_reply = std::function<void(qs::expected<std::string> outcome)>;

/// The answer to one request: the REPLY's value (one CBOR item, in the codec of what was
/// asked) or its error (the coordinator's, or cluster::errc::timeout).
using reply_handler = std::function<void(qs::expected<std::string> answer)>;

struct node_callbacks {
  std::function<void(const std::string& task_id, protocol::role role, const std::string& payload,
                     task_reply reply)>
      on_task;
  std::function<void(const protocol::welcome& welcome)> on_welcome;
  /// The owners of a keyed role changed.
  std::function<void(const protocol::shard_map& map)> on_shard_map;
  std::function<void(const qs::error& why)> on_refused;
  std::function<void(const std::string& line)> on_log;
};

class node_link {
public:
  using clock = std::chrono::steady_clock;

  /// Connects (the DEALER queues the HELLO until the connection is up) and starts the
  /// supervisor. `context` must outlive the link.
  static qs::expected<std::unique_ptr<node_link>>
  start(zmq::context_t& context, node_options options, node_callbacks callbacks);

  ~node_link();
  node_link(const node_link&) = delete;
  node_link& operator=(const node_link&) = delete;

  const std::string& node_id() const { return node_id_; }

  /// Says BYE: the coordinator sends no new tasks. @threadsafe
  void drain();

  /// Sends a request of type `kind` (a REQUEST_*) with `body`; its REPLY, or a timeout
  /// after `request_timeout`, reaches `on_reply` on the socket thread, once. Nothing is
  /// retried. @pre protocol::is_request(kind) @threadsafe
  void request(protocol::message_type kind, std::string body, reply_handler on_reply);

  /// Requests waiting for their REPLY. @threadsafe
  std::size_t pending_requests() const;

  /// Tells the coordinator that `role` is down on this node (restart budget spent).
  /// @threadsafe
  void role_down(protocol::role role);

  /// WELCOMEd on the current connection. @threadsafe
  bool admitted() const { return admitted_.load(); }

  /// How many times the socket was replaced after the coordinator went silent.
  /// @threadsafe
  std::uint64_t reconnects() const { return reconnects_.load(); }

  /// Stops the supervisor and the socket (without BYE). Idempotent; not from a callback.
  void stop();

  struct shared; // what replies may touch after the link is gone

private:
  node_link(zmq::context_t& context, node_options options, node_callbacks callbacks);
  qs::expected<std::unique_ptr<socket_thread>> connect();
  void say_hello();
  void supervise();
  void on_message(received message);
  void handle(const protocol::envelope& message); // one message, alone or out of a BATCH
  void on_tick();
  void on_task(const protocol::envelope& message);
  void on_reply(const protocol::envelope& message);
  void on_other_version(const std::vector<std::string>& frames, const qs::error& why);
  void log(const std::string& line) const;

  zmq::context_t& context_;
  const node_options options_;
  const node_callbacks callbacks_;
  const std::string node_id_;
  std::shared_ptr<shared> shared_;
  std::atomic<bool> admitted_{false}, refused_{false};
  std::atomic<clock::rep> last_heard_{0};
  std::atomic<clock::rep> last_hello_{0}; // a HELLO asked for is said at most once an interval
  std::atomic<std::uint64_t> reconnects_{0};

  std::mutex owner_mutex_;                // start/stop/supervisor: who owns the socket thread
  std::unique_ptr<socket_thread> socket_; // GUARDED_BY(owner_mutex_)
  bool stopping_ = false;                 // GUARDED_BY(owner_mutex_)
  std::condition_variable wake_supervisor_;
  std::thread supervisor_;
};

} // namespace qs::runtime::cluster
