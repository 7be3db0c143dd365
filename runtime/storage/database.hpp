// The database of cluster state, as a persistence node (or `qscan serve`) holds it:
// opened from a URL, migrated, with its identity (its own id, and the id of the
// cluster that owns it) and the local stores over it.
//
// URLs: sqlite:PATH (also sqlite://PATH) or a bare PATH for SQLite at PATH;
// postgresql://... or postgres://... for PostgreSQL (handed to libpq as is). Any
// other "scheme://" is refused (invalid_argument) naming the accepted forms.
//
// Threads: any; the stores serialise their own use of the connections.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "runtime/storage/sql/connection.hpp"
#include "runtime/storage/stores.hpp"

namespace qs::runtime::storage {

struct connections;

struct database_options {
  std::string url;
  bool synchronous_full = true; ///< SQLite: fsync every commit (else NORMAL)
};

class database {
public:
  static expected<std::shared_ptr<database>> open(const database_options& options);

  sql::dialect dialect() const { return dialect_; }
  /// "sqlite" or "postgresql".
  const char* kind() const { return dialect_ == sql::dialect::sqlite ? "sqlite" : "postgresql"; }
  /// "var/qscan.db", "postgresql host=H port=P dbname=D": never a password.
  const std::string& where() const { return where_; }
  int schema_version() const { return version_; }
  /// The database's own id, made when it was first migrated.
  const std::string& id() const { return id_; }

  /// The cluster that owns the database, once one has claimed it.
  expected<std::optional<std::string>> cluster_id();
  /// Makes `cluster` the owner when there is none yet (a database from before
  /// cluster ids is adopted so); errc::foreign_cluster, naming both ids, when
  /// another cluster owns it.
  expected<void> claim(const std::string& cluster);

  storage::stores stores() const;
  std::shared_ptr<batch_writer> writer() const;

private:
  database(std::shared_ptr<connections> c, sql::dialect d, std::string where, int version,
           std::string id);
  std::shared_ptr<connections> c_;
  sql::dialect dialect_;
  std::string where_;
  int version_;
  std::string id_;
};

} // namespace qs::runtime::storage
