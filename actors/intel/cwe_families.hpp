// CWE ids grouped into families an exploit model can learn from: injection,
// memory safety, integer, XSS, path, authentication, access control, exposure,
// crypto, input validation, CSRF, deserialisation, upload, SSRF, XML, resource,
// race, redirect, session, configuration, code quality, untrusted input; then
// "other" (a CWE in none) and NVD's "nvd-other" and "nvd-noinfo". A family's
// slot is its place in that order (the exploit features' slots [128, 153)). Pure.
#pragma once

#include <cstdint>
#include <string>

namespace qs::intel {

inline constexpr std::uint32_t cwe_family_count = 25;

/// The family slot of "CWE-79", "NVD-CWE-Other", "NVD-CWE-noinfo" (other: "other").
std::uint32_t cwe_family_slot(const std::string& cwe);
/// The name of a slot ("injection", ..., "other", "nvd-other", "nvd-noinfo").
std::string cwe_family_name(std::uint32_t slot);
/// Both at once: cwe_family("CWE-89") == "injection".
std::string cwe_family(const std::string& cwe);

} // namespace qs::intel
