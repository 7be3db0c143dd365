// The CVE catalogue as the threat model sees it: an immutable snapshot, built
// once from the catalogue store, of every CVE's record and whether it is in
// KEV. Shared between predictor threads; a new import builds a new snapshot.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>

#include "actors/intel/cve_record.hpp"

namespace qs::intel {

struct cve_entry {
  cve_record record;
  bool in_kev = false;
  std::string kev_date_added; ///< "" when not in KEV
};

struct cve_snapshot {
  std::unordered_map<std::string, cve_entry> by_id;
  const cve_entry* find(const std::string& id) const {
    auto it = by_id.find(id);
    return it == by_id.end() ? nullptr : &it->second;
  }
};

} // namespace qs::intel
