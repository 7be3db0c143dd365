// One database per cluster (ARCHITECTURE.md §6): the coordinator admits a persistence
// node only when the database it serves is the cluster's. Refused, with both ids or
// both nodes named:
//   - a database another cluster has claimed (errc::foreign_database);
//   - a database other than the one the cluster's live persistence nodes serve, or a
//     second node on one SQLite database (SQLite is one process's: a cluster on SQLite
//     has one persistence node; several share PostgreSQL) (errc::database_conflict).
// A database no cluster has claimed yet (a new one, or one from before cluster ids) is
// admitted; the node claims it for this cluster once welcomed.
//
// Pure: a function of its arguments; any thread.
#pragma once

#include <string>
#include <vector>

#include "runtime/cluster/errc.hpp"
#include "runtime/cluster/membership.hpp"

namespace qs::runtime::cluster {

struct served_database {
  std::string node_id;
  std::string id;      ///< the database's own id
  std::string kind;    ///< "sqlite" or "postgresql"
  std::string cluster; ///< the cluster that claimed it; "" none yet
};

/// Whether `candidate` may serve this cluster (`cluster_id`) beside `members` (the
/// coordinator's view: dead nodes do not count, nor the candidate's own earlier entry)
/// and `coordinator_own` (the coordinator's own database when it runs persistence;
/// an empty id when it does not).
expected<void> admit_database(const served_database& candidate, const std::string& cluster_id,
                              const std::vector<node_info>& members,
                              const served_database& coordinator_own);

} // namespace qs::runtime::cluster
