// Client key shares for TLS 1.3 probes, one per group, real-sized and well
// formed, so a server judges the group and not a malformed share (an empty or
// short share gets false negatives from real servers):
// - elliptic curves: a real public point (uncompressed), from a key OpenSSL
//   generates once per process and curve;
// - X25519, X448: random bytes (every string is a valid Montgomery u-coordinate);
// - ffdhe: g^x mod p for a random x (in the prime-order subgroup a server checks);
// - ML-KEM: an encapsulation key of random 12-bit coefficients below q = 3329
//   (it passes FIPS 203's modulus check) and a random 32-byte seed;
// - hybrids: both parts, in the order the group's specification gives.
// No private key is kept for ML-KEM or the random shares: a probe never
// finishes a handshake it started with one; it reads the ServerHello or the
// HelloRetryRequest and closes. Thread-safe.
#pragma once

#include <string>

#include "actors/scanner/tls/registry.hpp"

namespace qs::scanner::tls {

/// The key share for `group`; "" for a group it cannot make one for (then the
/// group is offered without a share and a server may answer HelloRetryRequest).
std::string key_share_for(const named_group& group);

/// An ML-KEM encapsulation key for k = 2, 3, 4 (ML-KEM-512/768/1024): 384k bytes
/// of ByteEncode12'd coefficients below 3329, then 32 random bytes.
std::string mlkem_encapsulation_key(int k);

/// True when every 12-bit coefficient of `key` (without its 32-byte seed) is below 3329.
bool mlkem_modulus_check(const std::string& key);

} // namespace qs::scanner::tls
