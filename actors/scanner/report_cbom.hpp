// The `cbom` format of `qscan scan`: a CycloneDX 1.6 cryptographic bill of
// materials. Components of type `cryptographic-asset`: algorithms (with
// `algorithmProperties`, `nistQuantumSecurityLevel` among them), certificates
// (`certificateProperties`), keys (`relatedCryptoMaterialProperties`) and
// protocols (`protocolProperties`, with their cipher suites); dependencies from
// each protocol to its algorithms and certificates; evidence occurrences saying
// where each was found. Never any private-key material.
//
// Against a previous run's CBOM (`qscan scan --format cbom --baseline OLD.cbom`):
// components are compared by their bom-ref (an algorithm's name, a certificate's
// SHA-256, a key's fingerprint or place: the same across runs), each marked with
// the property `qscan:baselineState` `new` or `unchanged`, and the previous run's
// components that are gone listed as `qscan:absentComponent` properties of the
// BOM's metadata. Pure.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "actors/scanner/report.hpp"

namespace qs::scanner {

/// A previous CBOM's components: bom-ref -> name.
using cbom_baseline = std::map<std::string, std::string>;

/// `text`'s components when it is a CycloneDX BOM, else nullopt.
std::optional<cbom_baseline> read_cbom_baseline(std::string_view text);

struct cbom_counts {
  std::size_t added = 0, unchanged = 0, absent = 0;
};

/// `against`: mark components against a previous CBOM, and count them in `counts`.
std::string results_cbom(const std::vector<target_result>& results,
                         const cbom_baseline* against = nullptr, cbom_counts* counts = nullptr);

} // namespace qs::scanner
