// Turns an inventory into findings: every algorithm in use with its context
// (key exchange, authentication, certificate signature, bulk cipher, MAC/hash),
// rated by the project's quantum assessment (actors/analytics/algorithm.hpp),
// key exchange (harvest now, decrypt later) apart from authentication, a
// post-quantum hybrid group rated as the fix it is; and the classical faults a
// security team expects to hear about (old protocols, no forward secrecy, NULL,
// anonymous and export suites, RC4/DES/3DES, small DH and RSA, SHA-1 and MD5
// signatures, expired, expiring, self-signed and misnamed certificates).
// Then the target's quantum risk from those findings, as Scorpius's are rated.
//
// Pure functions; any thread.
#pragma once

#include <string>
#include <vector>

#include "actors/scanner/report.hpp"
#include "protocol/scan_result.hpp"

namespace qs::scanner {

/// `host` is the name the certificate must carry ("" skips the check);
/// `now_utc` in seconds since the epoch.
std::vector<finding> tls_findings(const tls_inventory& tls, const std::string& host,
                                  long long now_utc);
std::vector<finding> ssh_findings(const ssh_inventory& ssh);
std::vector<finding> file_findings(const file_inventory& file, long long now_utc);

/// The target as a scan result of its asset (asset id = the target), one
/// vulnerability per finding that is not merely informational; what goes
/// through the prediction, anomaly and storage pipeline.
protocol::scan_result as_scan_result(const target_result& result);

/// Fills in findings' locations, the quantum risk score and level.
void rate(target_result& result, long long now_utc);

} // namespace qs::scanner
