// A cluster's id: made by the coordinator at its first start and kept in its data
// folder (file `cluster-id`), carried to every node in WELCOME, and recorded by a
// database the first time a persistence node of the cluster serves it (so a
// database serves one cluster only). `qscan serve` is a cluster of one: its id is
// the one its database records.
//
// Functions of the file system and a random source; any thread.
#pragma once

#include <optional>
#include <string>

#include "runtime/expected.hpp"

namespace qs::runtime::cluster {

/// "qc-" and 24 random hex digits.
std::string new_cluster_id();

/// True for an id this build makes or accepts: 1 to 64 letters, digits, "-", "_" or ".".
bool valid_cluster_id(const std::string& id);

/// The coordinator's id: the one kept in `data_dir`/cluster-id, or `given`
/// (--cluster-id) when the folder keeps none, or a new one; written to the folder.
/// A `given` id that differs from the kept one is refused (cluster::errc is not
/// needed: a sentence for the operator), as is an invalid one.
expected<std::string> coordinator_cluster_id(const std::string& data_dir,
                                             const std::optional<std::string>& given);

} // namespace qs::runtime::cluster
