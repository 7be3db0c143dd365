#include "runtime/cluster/database_rule.hpp"

namespace qs::runtime::cluster {

namespace {

expected<void> beside(const served_database& candidate, const served_database& other) {
  if (other.id.empty() || other.node_id == candidate.node_id)
    return {};
  if (candidate.kind == "sqlite" || other.kind == "sqlite")
    return qs::error(errc::database_conflict,
                     "node " + other.node_id + " already serves this cluster's database (" +
                         other.kind + " " + other.id + "), and node " + candidate.node_id +
                         " has an SQLite one (" + candidate.id +
                         "): a cluster on SQLite has one persistence node (several share one "
                         "PostgreSQL database)");
  if (other.id != candidate.id)
    return qs::error(errc::database_conflict,
                     "node " + candidate.node_id + " serves database " + candidate.id +
                         ", but node " + other.node_id + " serves this cluster's database " +
                         other.id + ": a cluster's persistence nodes share one database");
  return {};
}

} // namespace

expected<void> admit_database(const served_database& candidate, const std::string& cluster_id,
                              const std::vector<node_info>& members,
                              const served_database& coordinator_own) {
  if (candidate.id.empty())
    return {};
  if (!candidate.cluster.empty() && candidate.cluster != cluster_id)
    return qs::error(errc::foreign_database, "the database of node " + candidate.node_id +
                                                 " belongs to cluster " + candidate.cluster +
                                                 ", not to this cluster (" + cluster_id + ")");
  if (auto ok = beside(candidate, coordinator_own); !ok)
    return ok;
  for (const auto& member : members) {
    if (member.state == node_state::dead)
      continue;
    if (auto ok = beside(candidate, {member.id, member.database_id, member.database_kind, ""}); !ok)
      return ok;
  }
  return {};
}

} // namespace qs::runtime::cluster
