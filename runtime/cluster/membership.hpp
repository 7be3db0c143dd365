// The coordinator's view of the nodes in the cluster (ARCHITECTURE.md §4): who said
// HELLO, which roles each one runs, whether it is alive, and which nodes may take a
// role's work now.
//
// Life of a node: HELLO admits it as `joining`; its next heartbeat (the transport calls
// `heartbeat` for every frame it receives from the node, so READY and results count)
// makes it `up`; BYE makes it `draining` (no new work); a node silent for
// `missed_heartbeats * heartbeat_interval` is `dead` at the next `sweep`, and a dead node
// is forgotten `forget_after` later. A dead node that says HELLO again with the same id
// and public key is revived; an id bound to another key is refused.
//
// Pure logic: no sockets, no threads, no clock of its own: every method that depends on
// time takes `now`. Errors are values (`qs::expected<admission>`).
//
// Not thread-safe: owned by the coordinator's transport thread, the one that owns the
// ROUTER socket; nothing else calls it.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/envelope.hpp"
#include "runtime/cluster/errc.hpp"
#include "runtime/expected.hpp"

namespace qs::runtime::cluster {

enum class node_state { joining, up, draining, dead };

/// "joining", "up", "draining" or "dead".
std::string_view to_string(node_state state);

struct node_info {
  using time_point = std::chrono::steady_clock::time_point;

  std::string id;
  std::string public_key; ///< the authenticated CURVE key (Z85) the id is bound to
  std::string address;
  std::vector<std::string> roles;
  std::vector<std::string> roles_down; ///< reported down after their restart budget
  int capacity = 0;
  node_state state = node_state::joining;
  time_point state_since{};    ///< when `state` last changed
  time_point last_heartbeat{}; ///< when anything was last heard from the node
  std::uint64_t tasks_done = 0;
  int in_flight = 0;
  int restarts = 0;          ///< how many times the id said HELLO again after its first
  std::string database_id;   ///< a persistence node's database ("" for other nodes)
  std::string database_kind; ///< "sqlite" or "postgresql"
};

/// What the coordinator answers (WELCOME) to an admitted HELLO.
struct admission {
  std::string node_id;
  /// The id was known already: the node restarted or came back from the dead, and
  /// whatever it had in flight is lost; the caller re-dispatches it
  /// (`dispatcher::node_dead`).
  bool rejoined = false;
  std::chrono::milliseconds heartbeat_interval{1000};
};

struct membership_config {
  std::chrono::milliseconds heartbeat_interval{1000};
  int missed_heartbeats = 3; ///< silent this many intervals = dead
  std::chrono::milliseconds forget_after = std::chrono::minutes(10);
  std::uint16_t protocol_version = protocol::wire_version; ///< the one this coordinator speaks
};

class membership {
public:
  using time_point = std::chrono::steady_clock::time_point;

  explicit membership(membership_config config = {});

  /// Admits a node, or says why not: an incompatible protocol version
  /// (wire_errc::version_mismatch), an empty id or key or a negative capacity
  /// (errc::invalid_hello), or an id already bound to another public key (errc::id_taken).
  /// @param public_key the key the ZAP handler authenticated (the connection's
  ///        User-Id), never the one the HELLO body claims.
  qs::expected<admission> hello(const std::string& id, const std::string& public_key,
                                const std::string& address, std::vector<std::string> roles,
                                int capacity, std::uint16_t protocol_version, time_point now);

  /// Records that the node is alive (a `joining` node becomes `up`). False for an
  /// unknown or dead id: the node must say HELLO again.
  bool heartbeat(const std::string& id, time_point now);

  /// The node drains: it gets no new work. False for an unknown or dead id.
  bool bye(const std::string& id, time_point now);

  /// Declares dead every node silent for `missed_heartbeats` intervals and returns their
  /// ids (only those that died in this sweep); forgets nodes dead for `forget_after`.
  std::vector<std::string> sweep(time_point now);

  /// Removes the node whatever its state. False when it was not known.
  bool forget(const std::string& id);

  /// The node stopped running `role` (its supervisor's restart budget ran out): it gets
  /// none of that role's work until it says HELLO again. False for an unknown id or a
  /// role the node does not run.
  bool role_down(const std::string& id, const std::string& role);

  /// Records the database a persistence node serves (its HELLO said). False for an
  /// unknown id.
  bool record_database(const std::string& id, const std::string& database_id,
                       const std::string& kind);

  /// Copies the node's load from the dispatcher, its source of truth.
  bool record_load(const std::string& id, int in_flight, std::uint64_t tasks_done);

  /// Every known node, by id.
  std::vector<node_info> nodes() const;

  std::optional<node_info> node(const std::string& id) const;

  /// Ids of the `up` nodes that run `role` and have not reported it down, by id.
  std::vector<std::string> nodes_with_role(const std::string& role) const;

  /// Ids bound to a public key (to drop a node whose key was revoked).
  std::vector<std::string> ids_with_key(const std::string& public_key) const;

  const membership_config& config() const { return config_; }

private:
  membership_config config_;
  std::map<std::string, node_info> nodes_;
};

} // namespace qs::runtime::cluster
