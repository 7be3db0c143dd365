// How a node without the database reaches the stores of a persistence node
// (runtime/storage/remote_stores.hpp takes one of these):
//
//   - `through_coordinator`: a member node's. Each store call is a REQUEST_STORAGE to
//     the coordinator, which answers it from its own stores (a persistence node's, by
//     a persistence task, or its local database), as a REPLY with the answer or the
//     store's error.
//   - `persistence_calls`: the coordinator's. Each store call is a persistence TASK
//     (`[1, request]`) for the dispatcher, which sends it to a live persistence node and
//     sends it again elsewhere when that node dies or fails it; the RESULT carries the
//     call's outcome. With no persistence node up the call fails at once
//     (storage::errc::unavailable) instead of waiting out its deadline. It writes the
//     coordinator's own batches (a scan's degraded analysis) the same way.
//
// Threads: the transports may be called from any thread; their answers arrive on the
// link's socket thread.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "runtime/storage/remote_stores.hpp"

namespace qs::actors {

/// Sends a REQUEST_STORAGE body and calls back with the REPLY's value or error.
using storage_request_fn =
    std::function<void(std::string body, std::function<void(qs::expected<std::string>)> answer)>;

runtime::storage::storage_transport through_coordinator(storage_request_fn send);

class persistence_calls : public std::enable_shared_from_this<persistence_calls> {
public:
  using time_point = std::chrono::steady_clock::time_point;
  /// Submits a persistence task (id, payload, deadline) to the dispatcher.
  using submit_fn = std::function<void(std::string id, std::string payload, time_point deadline)>;

  /// `any_up`: whether a live node runs the persistence role; `id_prefix` keeps this
  /// run's task ids apart from a previous run's.
  persistence_calls(submit_fn submit, std::function<bool()> any_up, std::string id_prefix);

  /// Holds this object: make it with std::make_shared.
  runtime::storage::storage_transport transport();

  /// Hands an encoded storage request (a REQUEST_STORAGE body) to a persistence node
  /// as it came; `done` gets the answer's bytes or the store's error, once.
  void forward(std::string request_bytes, time_point deadline,
               std::function<void(qs::expected<std::string>)> done);

  /// Stores `batch` through a persistence task; `done` gets the outcome once (the
  /// store's error, or errc::unavailable when no persistence node could take it).
  void write(const runtime::storage::write_batch& batch, time_point deadline,
             std::function<void(qs::expected<void>)> done);

  /// A task's first RESULT: true when it was one of these calls (then it is answered).
  bool on_result(const std::string& task_id, const std::string& payload);
  /// A task given up: true when it was one of these calls.
  bool on_abandoned(const std::string& task_id, const qs::error& why);

private:
  /// A pending task's answer: its RESULT payload, or why there is none.
  using answer_fn = std::function<void(qs::expected<std::string>)>;
  void send(std::string payload, time_point deadline, answer_fn answer);
  /// The answer of a pending call, removed; null when `task_id` is not one.
  answer_fn take(const std::string& task_id);

  const submit_fn submit_;
  const std::function<bool()> any_up_;
  const std::string id_prefix_;
  std::mutex mutex_;
  std::uint64_t next_id_ = 0;                // GUARDED_BY(mutex_)
  std::map<std::string, answer_fn> pending_; // GUARDED_BY(mutex_)
};

} // namespace qs::actors
