// The middle layer of `assess_algorithm`: reads the atoms of a name (see
// `algorithm_lexer.hpp`) into the algorithms it mentions ("elements"), in order,
// with their parameters (size, curve, mode), plus the hints that say how they are
// combined (a "TLS_" prefix, "with", "ssh-"). Public-key elements keep their raw
// parameters because their role (key exchange or signature) is only known once
// the whole name has been read; `build_public_key` assesses one in a role
// (implemented in `algorithm_public_key.cpp`).
// Pure; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "actors/analytics/algorithm.hpp"
#include "actors/analytics/algorithm_catalog.hpp"

namespace qs::analytics {

enum class element_tag {
  rsa,
  dh,
  ecdh,
  ecdsa,
  eddsa,
  dsa,
  elgamal,
  curve, ///< a curve named alone ("secp384r1")
  cipher,
  hash,
  mac,
  pq_kem,
  pq_signature
};

struct algorithm_element {
  element_tag tag;
  std::optional<int> bits;                  ///< modulus or key size as written
  std::optional<catalog::curve_info> curve; ///< ECC curve
  bool ephemeral = false;                   ///< DHE / ECDHE
  std::string label;          ///< naming override ("ffdhe2048"), PQ label ("MLKEM768")
  std::string mode;           ///< block cipher mode ("GCM"); "" when none
  algorithm_assessment value; ///< ready assessment for non-public-key elements
};

struct algorithm_hints {
  bool tls = false;        ///< "TLS_" / "SSL_" prefix
  bool ssh = false;        ///< "ssh-" prefix
  bool with = false;       ///< "...WITH..." / "sha256WithRSAEncryption"
  bool signature = false;  ///< "pss", "rsassa", "sig"
  bool encryption = false; ///< "oaep", "rsaes"
  bool explicit_hmac = false;
  int unknown_words = 0;
};

struct parsed_algorithm {
  std::vector<algorithm_element> elements;
  algorithm_hints hints;
};

parsed_algorithm parse_algorithm_atoms(const std::vector<std::string>& atoms);

/// True for RSA, DH, ECDH, ECDSA, EdDSA, DSA, ElGamal and bare curves.
bool is_public_key(const algorithm_element& e);
/// True for elements that agree keys: DH, ECDH, bare curves (except secp256k1).
bool is_key_agreement(const algorithm_element& e);

/// Assesses a public-key element in a role (key_exchange, signature,
/// public_key_encryption); `primitive::unknown` picks the element's natural role.
algorithm_assessment build_public_key(const algorithm_element& e, primitive role);

} // namespace qs::analytics
