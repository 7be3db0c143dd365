// The CVE catalogue: its own store (an SQLite file, apart from the results
// database), holding every imported CVE record and the KEV catalogue. Imports
// are idempotent: a CVE already stored is replaced only by a record with a
// newer lastModified. Read once into an immutable `cve_snapshot` for the
// threat model. Thread-safe (one connection behind a mutex).
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <variant>
#include <vector>

#include "actors/intel/cve_snapshot.hpp"
#include "actors/intel/kev_catalog.hpp"
#include "runtime/storage/sqlite_handle.hpp"

namespace qs::intel {

struct import_counts {
  std::size_t added = 0, updated = 0, unchanged = 0;
};

class cve_catalogue {
public:
  /// Opens or creates the catalogue file; errors say why.
  static std::variant<std::unique_ptr<cve_catalogue>, std::string> open(const std::string& path);

  std::variant<import_counts, std::string> import_cves(const std::vector<cve_record>& cves);
  /// Replaces the stored KEV catalogue with this one.
  std::variant<import_counts, std::string> import_kev(const kev_catalog& kev);

  std::variant<std::shared_ptr<const cve_snapshot>, std::string> snapshot() const;
  /// Every stored record with the stored KEV, for training.
  std::variant<std::vector<cve_record>, std::string> records() const;
  std::variant<kev_catalog, std::string> kev() const;

private:
  explicit cve_catalogue(runtime::storage::db_handle db) : db_(std::move(db)) {}
  std::string error() const;
  mutable std::mutex mutex_;
  runtime::storage::db_handle db_; // GUARDED_BY(mutex_)
};

} // namespace qs::intel
