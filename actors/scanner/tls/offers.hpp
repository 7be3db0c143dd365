// What the TLS prober offers, from the registry: the cipher suites of a
// version, the groups in the order they are offered (post-quantum and hybrids
// first), every signature scheme, the curve code of a certificate's curve,
// the certificate chains to ask OpenSSL for, and the names of code points.
// Pure; used by actors/scanner/net/tls_scan*.cpp.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "actors/scanner/tls/registry.hpp"

namespace qs::scanner::tls {

using codes = std::vector<std::uint16_t>;

inline constexpr std::uint16_t versions_high_to_low[] = {tls13, tls12, tls11, tls10, ssl3};

/// The suites `keep` accepts, in the registry's order.
codes suites_where(const std::function<bool(const cipher_suite&)>& keep);
/// The suites a server may accept in `version`.
codes suites_for(std::uint16_t version);
/// TLS 1.2's curves (every one of the registry's), or TLS 1.3's groups, in offer order.
codes groups_for(bool tls12_curves);
codes all_schemes();
/// The IANA name of a code point, or "0xNNNN" when the registry does not know it.
std::string suite_name(std::uint16_t code);
std::string group_name(std::uint16_t code);
/// The TLS group of a certificate's curve ("P-256" -> secp256r1), offered beside the
/// group under test in TLS 1.2 (RFC 8422).
std::optional<std::uint16_t> group_of_curve(const std::string& curve);

// The certificate chains to ask for, by the signatures a client will accept.
struct chain_class {
  const char* name;
  const char* sigalgs; // OpenSSL's syntax
};
inline constexpr chain_class chain_classes[] = {
    {"RSA", "RSA+SHA256:RSA+SHA384:RSA+SHA512:rsa_pss_rsae_sha256:rsa_pss_rsae_sha384:"
            "rsa_pss_rsae_sha512:RSA+SHA1:RSA+SHA224"},
    {"RSA-PSS", "rsa_pss_pss_sha256:rsa_pss_pss_sha384:rsa_pss_pss_sha512"},
    {"ECDSA", "ECDSA+SHA256:ECDSA+SHA384:ECDSA+SHA512:ECDSA+SHA1:ECDSA+SHA224"},
    {"Ed25519", "ed25519"},
    {"Ed448", "ed448"},
};

// The TLS 1.3 signature schemes OpenSSL can ask for one at a time.
inline constexpr const char* tls13_schemes[] = {"rsa_pss_rsae_sha256",
                                                "rsa_pss_rsae_sha384",
                                                "rsa_pss_rsae_sha512",
                                                "rsa_pss_pss_sha256",
                                                "rsa_pss_pss_sha384",
                                                "rsa_pss_pss_sha512",
                                                "ecdsa_secp256r1_sha256",
                                                "ecdsa_secp384r1_sha384",
                                                "ecdsa_secp521r1_sha512",
                                                "ed25519",
                                                "ed448"};

} // namespace qs::scanner::tls
