// The messages between a node's actors and its cluster link (runtime/cluster): the
// link's callbacks run on its socket thread and hand what they got to actors with
// these atoms. What crosses the wire is typed by the envelope's type frame
// (protocol/envelope.hpp) and encoded by one codec per message (actors/cluster/
// *_codec.hpp); an answer is a value (one CBOR item) or a `qs::error`, never text.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/atom.hpp>

#include "protocol/envelope.hpp"
#include "protocol/roles.hpp"
#include "runtime/expected.hpp"

namespace qs::actors {

using task_done_atom = caf::atom_constant<caf::atom("taskdone")>;
using run_task_atom = caf::atom_constant<caf::atom("runtask")>;
using reply_atom = caf::atom_constant<caf::atom("reply")>;
using tick_atom = caf::atom_constant<caf::atom("tick")>;
using cluster_atom = caf::atom_constant<caf::atom("cluster")>;
using request_atom = caf::atom_constant<caf::atom("request")>;

/// An answer from or for the wire: one CBOR item (in the codec of what was asked), or
/// the error that says why there is none.
using wire_answer = qs::expected<std::string>;

/// Answers a cluster request or task once; safe from any thread.
using wire_reply = std::shared_ptr<std::function<void(wire_answer)>>;

} // namespace qs::actors

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(qs::actors::wire_reply)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(qs::actors::wire_answer)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(qs::protocol::message_type)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(qs::protocol::role)
