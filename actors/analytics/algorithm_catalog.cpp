#include "actors/analytics/algorithm_catalog.hpp"

#include <algorithm>
#include <utility>

namespace qs::analytics::catalog {

namespace {

constexpr const char* already = "already";
constexpr const char* ir8547_deprecated = "2030-12-31";
constexpr const char* ir8547_disallowed = "2035-12-31";

algorithm_assessment base(std::string name, std::string family, primitive kind) {
  algorithm_assessment a;
  a.name = std::move(name);
  a.family = std::move(family);
  a.kind = kind;
  a.recognised = true;
  return a;
}

void mark_classically_broken(algorithm_assessment& a, std::string replacement) {
  a.status = quantum_status::classically_broken;
  a.nist_quantum_level = 0;
  a.risk = 1.0;
  a.deprecated_after = already;
  a.disallowed_after = already;
  a.replacement = std::move(replacement);
}

// Category and status of a symmetric key (or keyed MAC) of `bits` bits.
void judge_symmetric_strength(algorithm_assessment& a, int bits, std::string stronger) {
  a.classical_bits = bits;
  if (bits >= 256) {
    a.nist_quantum_level = 5;
    a.status = quantum_status::not_affected;
  } else if (bits >= 192) {
    a.nist_quantum_level = 3;
    a.status = quantum_status::not_affected;
  } else {
    a.nist_quantum_level = 1;
    a.status = quantum_status::weakened_by_grover;
    a.risk = 0.25;
    a.replacement = std::move(stronger);
  }
}

algorithm_assessment plain_hash(std::string name, std::string family, int out_bits,
                                int collision_bits, int level) {
  auto a = base(std::move(name), std::move(family), primitive::hash);
  a.key_bits = out_bits;
  a.classical_bits = collision_bits;
  a.nist_quantum_level = level;
  if (level >= 2) {
    a.status = quantum_status::not_affected;
  } else {
    a.status = quantum_status::weakened_by_grover;
    a.risk = 0.25;
    a.replacement = "SHA-384";
    a.disallowed_after = "2030-12-31"; // 112-bit strength, SP 800-131A Rev. 3 draft
  }
  return a;
}

algorithm_assessment broken_hash(std::string name, std::string family, int out_bits,
                                 int collision_bits) {
  auto a = base(std::move(name), std::move(family), primitive::hash);
  a.key_bits = out_bits;
  a.classical_bits = collision_bits;
  mark_classically_broken(a, "SHA-384");
  return a;
}

int date_rank(const std::string& d) {
  return d.empty() ? 2 : d == already ? 0 : 1;
}

} // namespace

std::optional<curve_info> nist_curve(int bits) {
  switch (bits) {
  case 192:
    return curve_info{"P-192", "P192", 192};
  case 224:
    return curve_info{"P-224", "P224", 224};
  case 256:
    return curve_info{"P-256", "P256", 256};
  case 384:
    return curve_info{"P-384", "P384", 384};
  case 521:
    return curve_info{"P-521", "P521", 521};
  default:
    return std::nullopt;
  }
}

std::optional<curve_info> curve_from_atom(std::string_view atom) {
  if (atom == "secp192r1" || atom == "prime192v1")
    return nist_curve(192);
  if (atom == "secp224r1")
    return nist_curve(224);
  if (atom == "secp256r1" || atom == "prime256v1")
    return nist_curve(256);
  if (atom == "secp384r1")
    return nist_curve(384);
  if (atom == "secp521r1")
    return nist_curve(521);
  if (atom == "secp256k1")
    return curve_info{"secp256k1", "secp256k1", 256};
  if (atom == "brainpoolp256r1")
    return curve_info{"brainpoolP256r1", "brainpoolP256r1", 256};
  if (atom == "brainpoolp384r1")
    return curve_info{"brainpoolP384r1", "brainpoolP384r1", 384};
  if (atom == "brainpoolp512r1")
    return curve_info{"brainpoolP512r1", "brainpoolP512r1", 512};
  if (atom == "x25519" || atom == "curve25519" || atom == "ed25519")
    return curve_info{"Curve25519", "25519", 255};
  if (atom == "x448" || atom == "curve448" || atom == "ed448")
    return curve_info{"Curve448", "448", 448};
  return std::nullopt;
}

int finite_field_strength(int modulus_bits) {
  if (modulus_bits >= 15360)
    return 256;
  if (modulus_bits >= 7680)
    return 192;
  if (modulus_bits >= 3072)
    return 128;
  if (modulus_bits >= 2048)
    return 112;
  if (modulus_bits >= 1024)
    return 80;
  if (modulus_bits >= 512)
    return 56;
  return 40;
}

algorithm_assessment public_key(std::string name, std::string family, primitive kind,
                                std::optional<int> key_bits, std::string curve,
                                int classical_bits) {
  auto a = base(std::move(name), std::move(family), kind);
  a.key_bits = key_bits;
  a.curve = std::move(curve);
  a.classical_bits = classical_bits;
  a.nist_quantum_level = 0;
  bool strong = classical_bits >= 192;
  if (kind == primitive::signature)
    a.replacement = strong ? "ML-DSA-87" : "ML-DSA-65";
  else
    a.replacement = strong ? "ML-KEM-1024" : "ML-KEM-768";
  if (classical_bits < 112) {
    mark_classically_broken(a, a.replacement);
    return a;
  }
  a.status = quantum_status::broken_by_shor;
  a.disallowed_after = ir8547_disallowed;
  if (classical_bits < 128)
    a.deprecated_after = ir8547_deprecated;
  a.risk = classical_bits < 128 ? 0.85 : classical_bits < 192 ? 0.8 : 0.75;
  if (kind != primitive::signature)
    a.risk += 0.05;
  return a;
}

algorithm_assessment block_cipher(std::string family, std::optional<int> key_bits,
                                  std::string mode) {
  int bits = key_bits.value_or(128);
  std::string suffix = mode.empty() ? "" : "-" + mode;
  bool aead = mode == "GCM" || mode == "CCM" || mode == "OCB" || mode == "GCM-SIV" || mode == "SIV";
  std::string name = family + (key_bits ? "-" + std::to_string(bits) : "") + suffix;
  auto a = base(std::move(name), family, aead ? primitive::aead : primitive::block_cipher);
  a.key_bits = key_bits;
  judge_symmetric_strength(a, bits, family + "-256" + suffix);
  return a;
}

algorithm_assessment broken_cipher(std::string name, primitive kind, std::optional<int> key_bits,
                                   int classical_bits) {
  std::string family = name;
  auto a = base(std::move(name), std::move(family), kind);
  a.key_bits = key_bits;
  a.classical_bits = classical_bits;
  mark_classically_broken(a, "AES-256-GCM");
  return a;
}

algorithm_assessment chacha20(bool with_poly1305) {
  auto a = with_poly1305 ? base("ChaCha20-Poly1305", "ChaCha20", primitive::aead)
                         : base("ChaCha20", "ChaCha20", primitive::stream_cipher);
  a.key_bits = 256;
  judge_symmetric_strength(a, 256, "");
  return a;
}

algorithm_assessment poly1305() {
  auto a = base("Poly1305", "Poly1305", primitive::mac);
  judge_symmetric_strength(a, 256, "");
  a.classical_bits = 128; // forgery bound of the 128-bit tag
  return a;
}

algorithm_assessment sha2_family(int bits) {
  switch (bits) {
  case 1:
  case 160:
    return broken_hash("SHA-1", "SHA-1", 160, 63);
  case 224:
    return plain_hash("SHA-224", "SHA-2", 224, 112, 1);
  case 256:
    return plain_hash("SHA-256", "SHA-2", 256, 128, 2);
  case 384:
    return plain_hash("SHA-384", "SHA-2", 384, 192, 4);
  default:
    return plain_hash("SHA-512", "SHA-2", 512, 256, 5);
  }
}

algorithm_assessment sha3_family(int bits) {
  switch (bits) {
  case 224:
    return plain_hash("SHA3-224", "SHA-3", 224, 112, 1);
  case 384:
    return plain_hash("SHA3-384", "SHA-3", 384, 192, 4);
  case 512:
    return plain_hash("SHA3-512", "SHA-3", 512, 256, 5);
  default:
    return plain_hash("SHA3-256", "SHA-3", 256, 128, 2);
  }
}

algorithm_assessment shake(int bits) {
  if (bits == 128)
    return plain_hash("SHAKE128", "SHA-3", 256, 128, 2);
  return plain_hash("SHAKE256", "SHA-3", 512, 256, 5);
}

algorithm_assessment message_digest(int version) {
  if (version == 5)
    return broken_hash("MD5", "MD5", 128, 18);
  if (version == 4)
    return broken_hash("MD4", "MD4", 128, 2);
  return broken_hash("MD2", "MD2", 128, 63);
}

algorithm_assessment hmac(const algorithm_assessment& hash) {
  std::string hash_name = hash.name;
  auto a = base("HMAC-" + hash_name, "HMAC", primitive::mac);
  a.key_bits = hash.key_bits;
  a.components = {};
  if (hash.family == "MD5" || hash.family == "MD4" || hash.family == "MD2") {
    a.classical_bits = 64;
    mark_classically_broken(a, "HMAC-SHA-256");
    return a;
  }
  judge_symmetric_strength(a, hash.key_bits.value_or(256), "HMAC-SHA-256");
  return a;
}

algorithm_assessment prf_hash(const algorithm_assessment& hash) {
  auto a = hmac(hash);
  a.name = hash.name;
  a.family = hash.family;
  a.kind = primitive::hash;
  if (!a.replacement.empty())
    a.replacement = "SHA-256";
  return a;
}

algorithm_assessment post_quantum(std::string name, std::string family, primitive kind, int level,
                                  std::string replacement) {
  auto a = base(std::move(name), std::move(family), kind);
  a.status = quantum_status::post_quantum;
  a.nist_quantum_level = level;
  a.classical_bits = level >= 5 ? 256 : level >= 3 ? 192 : 128;
  a.replacement = std::move(replacement);
  return a;
}

algorithm_assessment hybrid(std::string name, std::vector<algorithm_assessment> parts,
                            std::string replacement) {
  auto a = base(std::move(name), "hybrid", primitive::key_exchange);
  a.status = quantum_status::hybrid;
  a.risk = 0.1;
  a.replacement = std::move(replacement);
  for (const auto& p : parts) {
    if (p.status == quantum_status::post_quantum)
      a.nist_quantum_level = std::max(a.nist_quantum_level, p.nist_quantum_level);
    else if (p.kind == primitive::key_exchange && a.curve.empty())
      a.curve = p.curve;
    if (p.kind != primitive::hash)
      a.classical_bits = std::max(a.classical_bits, p.classical_bits);
  }
  a.components = std::move(parts);
  return a;
}

algorithm_assessment combination(std::string name, std::string family, primitive kind,
                                 std::vector<algorithm_assessment> parts, std::string replacement) {
  auto a = base(std::move(name), std::move(family), kind);
  a.replacement = std::move(replacement);
  if (parts.empty())
    return unknown(a.name);
  const algorithm_assessment* worst = &parts.front();
  a.nist_quantum_level = 6;
  a.classical_bits = 1 << 16;
  a.deprecated_after = a.disallowed_after = "";
  for (const auto& p : parts) {
    if (p.risk > worst->risk)
      worst = &p;
    a.nist_quantum_level = std::min(a.nist_quantum_level, p.nist_quantum_level);
    a.classical_bits = std::min(a.classical_bits, p.classical_bits);
    a.deprecated_after = earliest(a.deprecated_after, p.deprecated_after);
    a.disallowed_after = earliest(a.disallowed_after, p.disallowed_after);
  }
  a.status = worst->status;
  a.risk = worst->risk;
  a.components = std::move(parts);
  return a;
}

algorithm_assessment unknown(std::string_view input) {
  algorithm_assessment a;
  a.input = std::string(input);
  a.name = std::string(input);
  a.family = "unknown";
  a.kind = primitive::unknown;
  a.status = quantum_status::unknown;
  a.risk = 0.5;
  a.recognised = false;
  return a;
}

std::string earliest(const std::string& a, const std::string& b) {
  int ra = date_rank(a), rb = date_rank(b);
  if (ra != rb)
    return ra < rb ? a : b;
  return a < b ? a : b;
}

} // namespace qs::analytics::catalog
