// Stores that ask a persistence node (stores.hpp's remote implementation): each call
// becomes a `storage_request`, handed to a transport (on a cluster node: the node
// link, through the coordinator, to a live persistence node; the coordinator's own
// dispatcher on a coordinator), and waits for its answer until a deadline, then
// fails with errc::timeout. Which persistence node answers, and retrying on another
// one when a node dies, is the transport's: the calls are idempotent.
//
// Threads: any; every call blocks its caller until the answer or the deadline, so
// call them on storage threads (executor.hpp) or a detached actor, never on an
// I/O or scheduler thread.
#pragma once

#include <chrono>
#include <functional>

#include "runtime/storage/requests.hpp"

namespace qs::runtime::storage {

/// Sends `request` and calls `done` once (from any thread) with its answer, or an
/// error; may call it at once (no persistence node known). Must not block.
using storage_transport =
    std::function<void(storage_request request, std::chrono::steady_clock::time_point deadline,
                       std::function<void(expected<storage_answer>)> done)>;

/// Every store over `transport`; each call waits at most `deadline`.
stores remote_stores(storage_transport transport, std::chrono::milliseconds deadline);

} // namespace qs::runtime::storage
