#include "actors/scanner/x509/public_key.hpp"

#include <openssl/core_names.h>
#include <openssl/evp.h>

namespace qs::scanner {

std::string curve_name(std::string_view g) {
  if (g == "prime256v1" || g == "secp256r1")
    return "P-256";
  if (g == "secp384r1")
    return "P-384";
  if (g == "secp521r1")
    return "P-521";
  if (g == "prime192v1" || g == "secp192r1")
    return "P-192";
  if (g == "secp224r1")
    return "P-224";
  return std::string(g);
}

std::string post_quantum_name(std::string_view oid) {
  static const std::pair<std::string_view, std::string_view> known[] = {
      {"2.16.840.1.101.3.4.3.17", "ML-DSA-44"},
      {"2.16.840.1.101.3.4.3.18", "ML-DSA-65"},
      {"2.16.840.1.101.3.4.3.19", "ML-DSA-87"},
      {"2.16.840.1.101.3.4.3.20", "SLH-DSA-SHA2-128s"},
      {"2.16.840.1.101.3.4.3.21", "SLH-DSA-SHA2-128f"},
      {"2.16.840.1.101.3.4.3.22", "SLH-DSA-SHA2-192s"},
      {"2.16.840.1.101.3.4.3.23", "SLH-DSA-SHA2-192f"},
      {"2.16.840.1.101.3.4.3.24", "SLH-DSA-SHA2-256s"},
      {"2.16.840.1.101.3.4.3.25", "SLH-DSA-SHA2-256f"},
      {"2.16.840.1.101.3.4.3.26", "SLH-DSA-SHAKE-128s"},
      {"2.16.840.1.101.3.4.3.27", "SLH-DSA-SHAKE-128f"},
      {"2.16.840.1.101.3.4.3.28", "SLH-DSA-SHAKE-192s"},
      {"2.16.840.1.101.3.4.3.29", "SLH-DSA-SHAKE-192f"},
      {"2.16.840.1.101.3.4.3.30", "SLH-DSA-SHAKE-256s"},
      {"2.16.840.1.101.3.4.3.31", "SLH-DSA-SHAKE-256f"},
      {"2.16.840.1.101.3.4.4.1", "ML-KEM-512"},
      {"2.16.840.1.101.3.4.4.2", "ML-KEM-768"},
      {"2.16.840.1.101.3.4.4.3", "ML-KEM-1024"},
  };
  for (const auto& [o, name] : known)
    if (o == oid)
      return std::string(name);
  return {};
}

public_key_info describe_key(const EVP_PKEY* key) {
  public_key_info info;
  if (!key)
    return info;
  switch (EVP_PKEY_get_base_id(key)) {
  case EVP_PKEY_RSA:
    info.type = "RSA";
    break;
  case EVP_PKEY_RSA_PSS:
    info.type = "RSA-PSS";
    break;
  case EVP_PKEY_EC:
    info.type = "EC";
    break;
  case EVP_PKEY_ED25519:
    info.type = "Ed25519";
    break;
  case EVP_PKEY_ED448:
    info.type = "Ed448";
    break;
  case EVP_PKEY_X25519:
    info.type = "X25519";
    break;
  case EVP_PKEY_X448:
    info.type = "X448";
    break;
  case EVP_PKEY_DSA:
    info.type = "DSA";
    break;
  case EVP_PKEY_DH:
  case EVP_PKEY_DHX:
    info.type = "DH";
    break;
  default: {
    const char* name = EVP_PKEY_get0_type_name(key);
    info.type = name ? name : "unknown";
  }
  }
  info.bits = EVP_PKEY_get_bits(key);
  if (info.type == "EC") {
    char group[80] = {};
    std::size_t len = 0;
    if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group,
                                       &len) == 1)
      info.curve = curve_name(group);
  } else if (info.type == "Ed25519" || info.type == "X25519") {
    info.curve = "Curve25519";
  } else if (info.type == "Ed448" || info.type == "X448") {
    info.curve = "Curve448";
  }
  return info;
}

} // namespace qs::scanner
