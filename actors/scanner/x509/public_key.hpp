// The type, size and curve of a public (or private) key, as OpenSSL sees it;
// for keys OpenSSL 3.0 cannot load (ML-DSA, SLH-DSA, ML-KEM), from the OID of
// their SubjectPublicKeyInfo algorithm. Any thread.
#pragma once

#include <string>
#include <string_view>

#include <openssl/types.h>

#include "actors/scanner/x509/certificate.hpp"

namespace qs::scanner {

public_key_info describe_key(const EVP_PKEY* key);

/// "ML-DSA-65", "SLH-DSA-SHA2-128s", "ML-KEM-768"... for a dotted OID; "" if unknown.
std::string post_quantum_name(std::string_view oid);

/// "P-256" for OpenSSL's "prime256v1", "P-384", "P-521"; other names as they are.
std::string curve_name(std::string_view openssl_group);

} // namespace qs::scanner
