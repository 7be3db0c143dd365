// The error codes of the cluster (runtime/cluster and the actors that use it): why a
// task, a request or a node's admission did not succeed. The message beside a code
// says what, with context ("no answer from node worker-2 within 500 ms").
//
// Codes cross the wire (docs/protocol.md, "Errors"): append only, never renumber.
#pragma once

#include <system_error>

#include "runtime/expected.hpp"

namespace qs::runtime::cluster {

enum class errc {
  timeout = 1,         ///< no answer within the deadline or the task timeout
  no_node = 2,         ///< no node can take it (none runs the role, no connection)
  refused = 3,         ///< the coordinator did not admit this node
  role_not_run = 4,    ///< this node does not run the task's role
  starting = 5,        ///< not ready yet: the node is starting
  task_failed = 6,     ///< the worker's actor could not do the task
  node_lost = 7,       ///< the node died, or stopped running the role, with the task in flight
  stopped = 8,         ///< the link stopped before an answer came
  not_offered = 9,     ///< this coordinator does not answer that request (no scans, no models)
  duplicate_task = 10, ///< a task with that id is pending already
  key_mismatch = 11,   ///< a HELLO names another key than its connection's
  id_taken = 12,       ///< the node id is bound to another public key
  bad_answer = 13,     ///< an answer that decodes but does not fit its question
  invalid_hello = 14,  ///< a HELLO without an id or key, or with a capacity out of range
  setup_failed = 15,   ///< a socket, a thread or the ZAP handler could not be set up
  bad_key = 16,   ///< a file or text that does not hold a CURVE key, or a pair that does not match
  io = 17,        ///< a key or allow-list file or folder could not be read, written or created
  exists = 18,    ///< refused to overwrite a key, or a name or key already on the allow-list
  not_found = 19, ///< no such key or name on the allow-list
  bad_name = 20,  ///< an allow-list name or node id outside [A-Za-z0-9._-]
  foreign_database = 21,  ///< a persistence node's database belongs to another cluster
  database_conflict = 22, ///< another database than the cluster's, or a second SQLite node
};

inline std::error_code make_error_code(errc e) {
  return {static_cast<int>(e), category_of<errc>()};
}

} // namespace qs::runtime::cluster

namespace std {
template<> struct is_error_code_enum<qs::runtime::cluster::errc> : true_type {};
} // namespace std

namespace qs {
template<> struct error_domain<runtime::cluster::errc> {
  static constexpr const char* name = "cluster";
  static const char* describe(runtime::cluster::errc e) {
    static const char* const names[] = {"timeout",
                                        "no_node",
                                        "refused",
                                        "role_not_run",
                                        "starting",
                                        "task_failed",
                                        "node_lost",
                                        "stopped",
                                        "not_offered",
                                        "duplicate_task",
                                        "key_mismatch",
                                        "id_taken",
                                        "bad_answer",
                                        "invalid_hello",
                                        "setup_failed",
                                        "bad_key",
                                        "io",
                                        "exists",
                                        "not_found",
                                        "bad_name",
                                        "foreign_database",
                                        "database_conflict"};
    return code_name(e, names);
  }
};
} // namespace qs
