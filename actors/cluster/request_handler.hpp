// On a coordinator node, the actor that answers the nodes' requests: (request_atom,
// kind, body, reply) from the coordinator link's socket thread, where `kind` is the
// request's message type (protocol/envelope.hpp) and picks the codec of its body and
// of its answer (actors/cluster/wire_codec.hpp, scan_task_codec.hpp, request_codec.hpp):
//
//   REQUEST_JOB      a job for the coordinator actor; answered with its outcome, or with
//                    cluster::errc::task_failed when the cluster could not answer it
//   REQUEST_STORE    a spooled degraded answer replayed by a bridge, for persistence
//                    (stored once by its request id); answered null, or with the
//                    storage error (its storage::errc code)
//   REQUEST_SCAN     a POST /v1/scans for the scan jobs; answered with their answer
//   REQUEST_MODEL    from a predictor or bridge node, with the exploit model version it
//                    runs; answered with the newest stored model when it differs, else null
//   REQUEST_STORAGE  a store call of a node without the database; answered by this
//                    node's stores (a persistence node's, or its own database) with the
//                    call's answer or the store's error (its storage::errc code)
//   REQUEST_CLUSTER  answered with the cluster view of GET /v1/cluster
//
// The storage of REQUEST_MODEL and REQUEST_STORAGE runs on the storage threads.
//
// A body that does not decode is answered with the decoder's error (wire_errc), a
// request this coordinator does not serve with cluster::errc::not_offered.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include <caf/all.hpp>

#include "actors/cluster/cluster_messages.hpp"
#include "actors/cluster/request_codec.hpp"
#include "actors/cluster/storage_transports.hpp"
#include "actors/messages.hpp"
#include "runtime/storage/executor.hpp"
#include "runtime/storage/stores.hpp"

namespace qs::actors {

struct request_handler_config {
  caf::actor coordinator;
  caf::actor persistence;
  /// The JSON of GET /v1/cluster.
  std::function<std::string()> cluster_view;
  caf::actor scan_jobs;
  /// This node's stores (they may block) and the threads that call them.
  runtime::storage::stores stores;
  std::shared_ptr<runtime::storage::executor> storage_threads;
  /// Set on a coordinator without the database: REQUEST_STORAGE is handed to a
  /// persistence node as it came, without a storage thread waiting for it.
  std::shared_ptr<persistence_calls> forward_storage;
  std::chrono::milliseconds storage_deadline{2000};
};

caf::behavior request_handler(caf::event_based_actor* self, request_handler_config cfg);

} // namespace qs::actors
