#include "runtime/cluster/cluster_view.hpp"

#include "protocol/json_writer.hpp"

namespace qs::runtime::cluster {

namespace {

void write_strings(protocol::json_writer& out, const char* key,
                   const std::vector<std::string>& values) {
  out.key(key).begin_array();
  for (const auto& value : values)
    out.value(value);
  out.end_array();
}

} // namespace

std::string cluster_view_json(const std::string& cluster_id, const std::vector<node_info>& nodes,
                              const std::vector<dead_letter>& dead_letters,
                              std::chrono::steady_clock::time_point now) {
  protocol::json_writer out;
  out.begin_object();
  out.key("cluster_id").value(cluster_id);
  out.key("nodes").begin_array();
  for (const node_info& node : nodes) {
    const auto age =
        std::chrono::duration_cast<std::chrono::milliseconds>(now - node.last_heartbeat).count();
    out.begin_object();
    out.key("id").value(node.id);
    out.key("public_key").value(node.public_key);
    out.key("address").value(node.address);
    write_strings(out, "roles", node.roles);
    write_strings(out, "roles_down", node.roles_down);
    out.key("state").value(std::string(to_string(node.state)));
    out.key("heartbeat_age_ms").value(static_cast<std::int64_t>(age < 0 ? 0 : age));
    out.key("tasks_done").value(static_cast<std::int64_t>(node.tasks_done));
    out.key("tasks_in_flight").value(static_cast<std::int64_t>(node.in_flight));
    out.key("restarts").value(static_cast<std::int64_t>(node.restarts));
    out.end_object();
  }
  out.end_array();
  out.key("dead_letters").begin_array();
  for (const dead_letter& letter : dead_letters) {
    out.begin_object();
    out.key("task_id").value(letter.task_id);
    out.key("role").value(letter.role);
    out.key("reason").value(letter.reason);
    out.key("attempts").value(static_cast<std::int64_t>(letter.attempts));
    write_strings(out, "failed_on", letter.failed_on);
    out.end_object();
  }
  out.end_array();
  out.end_object();
  return out.release();
}

} // namespace qs::runtime::cluster
