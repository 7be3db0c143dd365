// Assesses one cryptographic algorithm name against a quantum computer: what it
// is (family, primitive, key size, curve), whether Shor breaks it or Grover weakens
// it, its NIST quantum security category, its classical strength, what replaces it
// and when NIST IR 8547 deprecates / disallows it.
//
// Names are tokenised on separators and on known words (never substring matched):
// "RSA-1024", "sha256WithRSAEncryption", "ECDHE-RSA-AES128-GCM-SHA256",
// "TLS_AES_128_GCM_SHA256", "X25519MLKEM768", "ecdsa-sha2-nistp256", ...
// Assumptions where a name leaves a parameter out (documented on the result's
// `key_bits` staying empty): RSA/DH/DSA/ElGamal without a size are assessed as
// 2048-bit, ECDSA/ECDH(E) without a curve as P-256, SHAKE256 as a 512-bit output.
// "ssh-rsa" and "ssh-dss" are the SSH signature algorithms, which sign with SHA-1.
//
// Pure functions of their input: safe to call from any thread.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace qs::analytics {

enum class quantum_status {
  broken_by_shor,
  weakened_by_grover,
  post_quantum,
  hybrid,
  classically_broken,
  not_affected,
  unknown
};

const char* to_string(quantum_status s);

enum class primitive {
  key_exchange,
  signature,
  public_key_encryption,
  block_cipher,
  stream_cipher,
  aead,
  hash,
  mac,
  cipher_suite,
  unknown
};

const char* to_string(primitive p);

struct algorithm_assessment {
  std::string input;  ///< as given
  std::string name;   ///< canonical: "RSA-2048", "ECDSA-P256", "AES-128-GCM", ...
  std::string family; ///< "RSA", "ECDSA", "ML-KEM", "TLS-cipher-suite", "hybrid", ...
  primitive kind = primitive::unknown;
  std::optional<int> key_bits; ///< RSA modulus, DH group, curve size, symmetric key, hash output
  std::string curve;           ///< "P-256", "Curve25519", "secp256k1", ...
  quantum_status status = quantum_status::unknown;
  int nist_quantum_level = 0;                   ///< CycloneDX nistQuantumSecurityLevel 0..6
  int classical_bits = 0;                       ///< classical security strength in bits
  std::string replacement;                      ///< "" when the algorithm is fine
  std::string deprecated_after;                 ///< "2030-12-31", "already" or ""
  std::string disallowed_after;                 ///< "2035-12-31", "already" or ""
  double risk = 0;                              ///< 0..1 quantum risk of this algorithm alone
  std::vector<algorithm_assessment> components; ///< parts of cipher suites, hybrids, combinations
  bool recognised = false;                      ///< false: status unknown
};

/// Assesses an algorithm name (case-insensitive; '-', '_', ' ', '/' and '.' separate words).
/// Unrecognised names come back with `recognised == false`, status unknown and risk 0.5.
algorithm_assessment assess_algorithm(std::string_view name);

/// A shared, immutable assessment.
using algorithm_ref = std::shared_ptr<const algorithm_assessment>;

/// The same as `assess_algorithm`, memoised: names repeat across findings and
/// requests, and parsing is the costliest step of every answer. Each thread
/// keeps its own bounded cache (dropped whole when full), so no locks.
algorithm_ref assess_algorithm_cached(std::string_view name);

/// True for the statuses a quantum computer (or a classical one) defeats.
bool is_quantum_vulnerable(quantum_status s);

} // namespace qs::analytics
