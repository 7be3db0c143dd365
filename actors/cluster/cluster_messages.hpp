// The messages between a node's actors and its cluster link (runtime/cluster): the
// link's callbacks run on its socket thread and hand what they got to actors with
// these atoms, and the bodies that cross the wire for bridge requests.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/atom.hpp>

namespace qs::actors {

using task_done_atom = caf::atom_constant<caf::atom("taskdone")>;
using run_task_atom = caf::atom_constant<caf::atom("runtask")>;
using reply_atom = caf::atom_constant<caf::atom("reply")>;
using tick_atom = caf::atom_constant<caf::atom("tick")>;
using cluster_atom = caf::atom_constant<caf::atom("cluster")>;
using request_atom = caf::atom_constant<caf::atom("request")>;

/// Answers a cluster request or task once; safe from any thread.
using wire_reply = std::shared_ptr<std::function<void(bool ok, std::string body)>>;

/// A bridge REQUEST body is its kind, a newline, then the kind's JSON:
/// "job" (an encoded job), "store" (an encoded write batch) or "cluster" (empty).
/// A REPLY body is "ok" or "error", a newline, then the answer or the reason.
struct wire_message {
  std::string kind;
  std::string payload;
};

inline std::string join_wire(const std::string& kind, const std::string& payload) {
  return kind + "\n" + payload;
}

inline wire_message split_wire(const std::string& body) {
  const auto newline = body.find('\n');
  if (newline == std::string::npos)
    return {body, ""};
  return {body.substr(0, newline), body.substr(newline + 1)};
}

} // namespace qs::actors

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(qs::actors::wire_reply)
