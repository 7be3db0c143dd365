// The policy behind `assess_algorithm`: builders that turn a parsed algorithm
// (family, size, curve, role) into a full assessment. One place decides quantum
// status, NIST category, classical strength, replacement, NIST IR 8547 dates and risk:
//
// - public key (RSA, DH, DSA, ElGamal, ECC): broken by Shor, category 0; below
//   112 classical bits classically broken (risk 1, disallowed "already");
//   112 bits deprecated after 2030-12-31, all disallowed after 2035-12-31;
//   replaced by ML-KEM-768 / ML-DSA-65, or ML-KEM-1024 / ML-DSA-87 from 192 bits
//   (CNSA 2.0). Risk 0.85 at 112 bits, 0.8 at 128, 0.75 from 192, plus 0.05 for
//   key exchange and encryption (harvest now, decrypt later).
// - symmetric: 128-bit keys weakened by Grover (category 1, risk 0.25, AES-256),
//   192 category 3, 256 category 5 (not affected); DES, 3DES, RC4, RC2,
//   Blowfish, IDEA, NULL classically broken.
// - hashes: SHA-1, MD5, MD4, MD2 classically broken (collisions); SHA-224
//   weakened; SHA-256 category 2, SHA-384 4, SHA-512 5; as HMAC or KDF even
//   SHA-1 is only weakened.
// - post-quantum: ML-KEM-512/768/1024 = 1/3/5, ML-DSA-44/65/87 = 2/3/5,
//   SLH-DSA-*-128/192/256 = 1/3/5, FN-DSA-512/1024 = 1/5, risk 0; hybrids take
//   their post-quantum part's category, risk 0.1.
// Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "actors/analytics/algorithm.hpp"

namespace qs::analytics::catalog {

struct curve_info {
  std::string name;  ///< "P-256", "Curve25519", "secp256k1", "brainpoolP256r1"
  std::string label; ///< as used in canonical names: "P256", "secp256k1"
  int bits;          ///< field size
};

/// The curve named by a single atom ("secp384r1", "prime256v1", "x25519", "ed448").
std::optional<curve_info> curve_from_atom(std::string_view atom);
/// A NIST prime curve by size (P-192 .. P-521) for "P-256" / "nistp256".
std::optional<curve_info> nist_curve(int bits);

/// Classical strength of a finite-field / RSA modulus (SP 800-57 Part 1 table 2).
int finite_field_strength(int modulus_bits);

/// Any Shor-vulnerable public-key algorithm.
algorithm_assessment public_key(std::string name, std::string family, primitive kind,
                                std::optional<int> key_bits, std::string curve, int classical_bits);

/// AES, Camellia, ARIA with an optional mode ("GCM", "CBC"); no size: 128 assumed.
algorithm_assessment block_cipher(std::string family, std::optional<int> key_bits,
                                  std::string mode);
/// DES, 3DES, RC4, RC2, Blowfish, IDEA, NULL: classically broken ciphers.
algorithm_assessment broken_cipher(std::string name, primitive kind, std::optional<int> key_bits,
                                   int classical_bits);
algorithm_assessment chacha20(bool with_poly1305);
algorithm_assessment poly1305();

/// SHA-1 (bits 1 or 160), SHA-224..512, as a plain hash (collision resistance matters).
algorithm_assessment sha2_family(int bits);
algorithm_assessment sha3_family(int bits);
algorithm_assessment shake(int bits);
algorithm_assessment message_digest(int version); // MD2, MD4, MD5
/// The hash keyed in HMAC.
algorithm_assessment hmac(const algorithm_assessment& hash);
/// The hash used as PRF/KDF (SSH exchange hash, TLS PRF): judged like HMAC, named as the hash.
algorithm_assessment prf_hash(const algorithm_assessment& hash);

algorithm_assessment post_quantum(std::string name, std::string family, primitive kind, int level,
                                  std::string replacement = {});

/// A classical + post-quantum key exchange: status hybrid, the PQ part's category.
algorithm_assessment hybrid(std::string name, std::vector<algorithm_assessment> parts,
                            std::string replacement);

/// Several algorithms used together (suite, signature with hash, key exchange with
/// hash): the worst part (highest risk) decides status and risk; the lowest
/// category and strength, and the earliest dates, win.
algorithm_assessment combination(std::string name, std::string family, primitive kind,
                                 std::vector<algorithm_assessment> parts, std::string replacement);

algorithm_assessment unknown(std::string_view input);

/// The earlier of two dates where "already" < "2030-12-31" < "" (none).
std::string earliest(const std::string& a, const std::string& b);

} // namespace qs::analytics::catalog
