// The `cbom` format of `qscan scan`: a CycloneDX 1.6 cryptographic bill of
// materials. Components of type `cryptographic-asset`: algorithms (with
// `algorithmProperties`, `nistQuantumSecurityLevel` among them), certificates
// (`certificateProperties`), keys (`relatedCryptoMaterialProperties`) and
// protocols (`protocolProperties`, with their cipher suites); dependencies from
// each protocol to its algorithms and certificates; evidence occurrences saying
// where each was found. Never any private-key material. Pure.
#pragma once

#include <string>
#include <vector>

#include "actors/scanner/report.hpp"

namespace qs::scanner {

std::string results_cbom(const std::vector<target_result>& results);

} // namespace qs::scanner
