// What a node_link shares with the replies it hands out (private to node_link*.cpp):
// the socket to send on, the credits to give back, and the requests waiting for their
// REPLY. Every member is guarded by `mutex`; replies may touch it after the link is gone.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "runtime/cluster/node_link.hpp"
#include "runtime/cluster/socket_thread.hpp"

namespace qs::runtime::cluster {

struct node_link::shared {
  using message_type = protocol::message_type;
  using clock = node_link::clock;

  struct pending_request {
    message_type kind; ///< what was asked
    reply_handler on_reply;
    clock::time_point sent_at;
  };

  std::mutex mutex;
  socket_thread* socket = nullptr; // GUARDED_BY(mutex); null once stopped
  std::uint64_t generation = 0;    // GUARDED_BY(mutex); +1 per new socket
  bool draining = false;           // GUARDED_BY(mutex)
  /// Credits of answered tasks not yet returned in a READY, by role: they go back in
  /// batches of `ready_batch`, and all of them every tick, to save messages.
  std::map<protocol::role, int> returned;    // GUARDED_BY(mutex)
  std::map<protocol::role, int> ready_batch; ///< by role: a quarter of its capacity
  /// Requests waiting for their REPLY, by correlation id.
  std::map<std::string, pending_request> requests; // GUARDED_BY(mutex)
  std::uint64_t next_request = 0;                  // GUARDED_BY(mutex)

  // requires mutex
  void send_locked(message_type type, std::string correlation_id, std::string body) {
    if (!socket)
      return;
    protocol::envelope message;
    message.type = type;
    message.correlation_id = std::move(correlation_id);
    message.body = std::move(body);
    socket->send(protocol::encode(std::move(message)));
  }
  void send(message_type type, std::string correlation_id, std::string body) {
    std::lock_guard<std::mutex> lock(mutex);
    send_locked(type, std::move(correlation_id), std::move(body));
  }
};

/// Counts one answered task of `role` (none: just flush) and sends READYs for what is
/// due; everything when `flush_all`. @pre `link.mutex` held
void return_credit(node_link::shared& link, std::optional<protocol::role> role, bool flush_all);

/// The reply to a task received on connection `generation`: RESULT or FAILED, once.
task_reply make_reply(std::weak_ptr<node_link::shared> weak, std::string task_id,
                      std::optional<protocol::role> role, std::uint64_t generation,
                      message_faults faults);

} // namespace qs::runtime::cluster
