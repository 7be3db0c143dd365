// What a security team wants to know of an X.509 certificate, read with
// OpenSSL from DER: subject, issuer, the key's type, size and curve, the
// signature algorithm (OpenSSL's long names: sha256WithRSAEncryption,
// ecdsa-with-SHA384, ED25519, rsassaPss), validity, SHA-256 fingerprint, names,
// and whether it is self-signed. Keys OpenSSL 3.0 cannot load (ML-DSA, SLH-DSA)
// are named from their algorithm's OID.
//
// Pure functions; any thread.
#pragma once

#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace qs::scanner {

struct public_key_info {
  std::string type;  ///< "RSA", "RSA-PSS", "EC", "Ed25519", "Ed448", "DSA", "ML-DSA-65", ...
  int bits = 0;      ///< modulus or curve size; 0 when the type has none
  std::string curve; ///< "P-256", "P-384", "P-521", "secp256k1", "brainpoolP256r1"; "" if none
};

struct certificate_info {
  std::string subject; ///< RFC 2253: "CN=localhost,O=Example"
  std::string issuer;
  public_key_info key;
  std::string signature_algorithm;
  std::string not_before; ///< ISO 8601, UTC: "2026-12-03T10:00:00Z"
  std::string not_after;
  std::string sha256; ///< of the DER, lower-case hex
  std::string serial; ///< hex
  std::vector<std::string> dns_names;
  std::vector<std::string> ip_addresses;
  bool self_signed = false;
  bool is_ca = false;
};

std::variant<certificate_info, std::string> describe_certificate(std::string_view der);

/// Does the certificate name `host` (a DNS name or an IP literal)? Subject
/// alternative names, with one left-most wildcard label; the CN only when the
/// certificate has no DNS names.
bool certificate_names(const certificate_info& cert, std::string_view host);

/// Days from `now_utc` (seconds since the epoch) to `not_after`; negative once expired.
double days_left(const certificate_info& cert, long long now_utc);

} // namespace qs::scanner
