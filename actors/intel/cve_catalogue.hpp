// The CVE catalogue: a cache of its own on each node that predicts (an SQLite file
// beside the node's keys, apart from cluster state, over the SQL layer), holding
// every imported CVE record and the KEV catalogue; deleting it loses nothing that
// `qscan intel import-nvd` / `import-kev` cannot load again. Imports are
// idempotent: a CVE already stored is replaced only by a record with a newer
// lastModified. Read once into an immutable `cve_snapshot` for the threat model.
// Errors: storage::errc. Thread-safe (one connection behind its mutex).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "actors/intel/cve_snapshot.hpp"
#include "actors/intel/kev_catalog.hpp"
#include "runtime/expected.hpp"
#include "runtime/storage/sql/connection.hpp"

namespace qs::intel {

struct import_counts {
  std::size_t added = 0, updated = 0, unchanged = 0;
};

class cve_catalogue {
public:
  /// Opens or creates the catalogue file; errors say why.
  static expected<std::unique_ptr<cve_catalogue>> open(const std::string& path);

  expected<import_counts> import_cves(const std::vector<cve_record>& cves);
  /// Replaces the stored KEV catalogue with this one.
  expected<import_counts> import_kev(const kev_catalog& kev);

  expected<std::shared_ptr<const cve_snapshot>> snapshot() const;
  /// Every stored record, for training.
  expected<std::vector<cve_record>> records() const;
  expected<kev_catalog> kev() const;

private:
  explicit cve_catalogue(std::unique_ptr<runtime::storage::sql::connection> db)
      : db_(std::move(db)) {}
  std::unique_ptr<runtime::storage::sql::connection> db_;
};

} // namespace qs::intel
