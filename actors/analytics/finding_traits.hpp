// What a finding says about itself beyond its algorithm: whether its free-text
// type marks it as a quantum or cryptographic finding ("quantum_vulnerable",
// "weak_crypto", "Weak Cipher"), its CWE / SWC numbers, and a risk weight for its
// severity. Shared by the quantum, threat and anomaly rules. Pure; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/scan_result.hpp"

namespace qs::analytics {

/// Lower-case words of a free-text label ("weak_crypto" -> weak, crypto).
std::vector<std::string> label_words(std::string_view label);

/// The type (or, without one, the title) says "quantum".
bool is_quantum_finding_type(const protocol::vulnerability& v);
/// The type or title names cryptography: crypto, cipher, hash, key, tls, ssl, certificate, ...
bool is_crypto_finding_type(const protocol::vulnerability& v);

/// 327 for "CWE-327"; nullopt when there is none.
std::optional<int> cwe_number(const protocol::vulnerability& v);
/// 107 for "SWC-107"; nullopt when there is none.
std::optional<int> swc_number(const protocol::vulnerability& v);

/// A 0..1 weight per severity: info 0.1, low 0.3, medium 0.5, high 0.75, critical 0.9.
double severity_weight(protocol::severity s);

} // namespace qs::analytics
