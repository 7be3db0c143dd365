#include <optional>
#include <string>

#include <catch2/catch.hpp>

#include "actors/analytics/algorithm.hpp"

using qs::analytics::assess_algorithm;
using qs::analytics::primitive;
using qs::analytics::quantum_status;

namespace {

constexpr auto shor = quantum_status::broken_by_shor;
constexpr auto grover = quantum_status::weakened_by_grover;
constexpr auto pq = quantum_status::post_quantum;
constexpr auto hybrid = quantum_status::hybrid;
constexpr auto broken = quantum_status::classically_broken;
constexpr auto fine = quantum_status::not_affected;

struct expectation {
  const char* input;
  const char* name;
  const char* family;
  quantum_status status;
  int level;
  const char* replacement;
  std::optional<int> key_bits;
};

const expectation table[] = {
    {"RSA-1024", "RSA-1024", "RSA", broken, 0, "ML-KEM-768", 1024},
    {"RSA2048", "RSA-2048", "RSA", shor, 0, "ML-KEM-768", 2048},
    {"rsaEncryption 2048", "RSA-2048", "RSA", shor, 0, "ML-KEM-768", 2048},
    {"sha256WithRSAEncryption", "RSA-SHA-256", "RSA", shor, 0, "ML-DSA-65", std::nullopt},
    {"RSA", "RSA", "RSA", shor, 0, "ML-KEM-768", std::nullopt},
    {"ECDSA P-256", "ECDSA-P256", "ECDSA", shor, 0, "ML-DSA-65", 256},
    {"ecdsa-with-SHA256", "ECDSA-SHA-256", "ECDSA", shor, 0, "ML-DSA-65", std::nullopt},
    {"secp384r1", "ECDH-P384", "ECDH", shor, 0, "ML-KEM-1024", 384},
    {"prime256v1", "ECDH-P256", "ECDH", shor, 0, "ML-KEM-768", 256},
    {"secp256k1", "ECDSA-secp256k1", "ECDSA", shor, 0, "ML-DSA-65", 256},
    {"Ed25519", "Ed25519", "EdDSA", shor, 0, "ML-DSA-65", 255},
    {"Ed448", "Ed448", "EdDSA", shor, 0, "ML-DSA-87", 448},
    {"X25519", "X25519", "ECDH", shor, 0, "ML-KEM-768", 255},
    {"X448", "X448", "ECDH", shor, 0, "ML-KEM-1024", 448},
    {"ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256", "TLS-cipher-suite", shor, 0,
     "ML-KEM-768, ML-DSA-65, AES-256-GCM", std::nullopt},
    {"TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
     "TLS-cipher-suite", shor, 0, "ML-KEM-768, ML-DSA-65", std::nullopt},
    {"TLS_AES_128_GCM_SHA256", "TLS_AES_128_GCM_SHA256", "TLS-cipher-suite", grover, 1,
     "AES-256-GCM", std::nullopt},
    {"TLS_RSA_WITH_3DES_EDE_CBC_SHA", "TLS_RSA_WITH_3DES_EDE_CBC_SHA", "TLS-cipher-suite", broken,
     0, "ML-KEM-768, AES-256-GCM", std::nullopt},
    {"DHE-RSA-AES256-SHA", "DHE-RSA-AES256-SHA", "TLS-cipher-suite", shor, 0,
     "ML-KEM-768, ML-DSA-65", std::nullopt},
    {"DH 1024", "DH-1024", "DH", broken, 0, "ML-KEM-768", 1024},
    {"DH-2048", "DH-2048", "DH", shor, 0, "ML-KEM-768", 2048},
    {"ffdhe2048", "ffdhe2048", "DH", shor, 0, "ML-KEM-768", 2048},
    {"ffdhe4096", "ffdhe4096", "DH", shor, 0, "ML-KEM-768", 4096},
    {"DSA-1024", "DSA-1024", "DSA", broken, 0, "ML-DSA-65", 1024},
    {"ElGamal", "ElGamal", "ElGamal", shor, 0, "ML-KEM-768", std::nullopt},
    {"AES-128-GCM", "AES-128-GCM", "AES", grover, 1, "AES-256-GCM", 128},
    {"AES-256-CBC", "AES-256-CBC", "AES", fine, 5, "", 256},
    {"AES128", "AES-128", "AES", grover, 1, "AES-256", 128},
    {"aes_192", "AES-192", "AES", fine, 3, "", 192},
    {"ChaCha20-Poly1305", "ChaCha20-Poly1305", "ChaCha20", fine, 5, "", 256},
    {"3DES", "3DES", "3DES", broken, 0, "AES-256-GCM", 168},
    {"DES", "DES", "DES", broken, 0, "AES-256-GCM", 56},
    {"RC4", "RC4", "RC4", broken, 0, "AES-256-GCM", std::nullopt},
    {"Blowfish", "Blowfish", "Blowfish", broken, 0, "AES-256-GCM", std::nullopt},
    {"SHA-1", "SHA-1", "SHA-1", broken, 0, "SHA-384", 160},
    {"SHA1", "SHA-1", "SHA-1", broken, 0, "SHA-384", 160},
    {"SHA-256", "SHA-256", "SHA-2", fine, 2, "", 256},
    {"SHA-384", "SHA-384", "SHA-2", fine, 4, "", 384},
    {"SHA-512", "SHA-512", "SHA-2", fine, 5, "", 512},
    {"SHA3-256", "SHA3-256", "SHA-3", fine, 2, "", 256},
    {"SHAKE256", "SHAKE256", "SHA-3", fine, 5, "", 512},
    {"MD5", "MD5", "MD5", broken, 0, "SHA-384", 128},
    {"MD4", "MD4", "MD4", broken, 0, "SHA-384", 128},
    {"HMAC-SHA256", "HMAC-SHA-256", "HMAC", fine, 5, "", 256},
    {"ML-KEM-512", "ML-KEM-512", "ML-KEM", pq, 1, "", std::nullopt},
    {"ML-KEM-768", "ML-KEM-768", "ML-KEM", pq, 3, "", std::nullopt},
    {"ML-KEM-1024", "ML-KEM-1024", "ML-KEM", pq, 5, "", std::nullopt},
    {"Kyber768", "Kyber768", "ML-KEM", pq, 3, "ML-KEM-768", std::nullopt},
    {"X25519MLKEM768", "X25519MLKEM768", "hybrid", hybrid, 3, "", std::nullopt},
    {"SecP256r1MLKEM768", "SecP256r1MLKEM768", "hybrid", hybrid, 3, "", std::nullopt},
    {"X25519Kyber768Draft00", "X25519Kyber768Draft00", "hybrid", hybrid, 3, "X25519MLKEM768",
     std::nullopt},
    {"ML-DSA-44", "ML-DSA-44", "ML-DSA", pq, 2, "", std::nullopt},
    {"ML-DSA-65", "ML-DSA-65", "ML-DSA", pq, 3, "", std::nullopt},
    {"ML-DSA-87", "ML-DSA-87", "ML-DSA", pq, 5, "", std::nullopt},
    {"Dilithium3", "Dilithium3", "ML-DSA", pq, 3, "ML-DSA-65", std::nullopt},
    {"SLH-DSA-SHA2-128s", "SLH-DSA-SHA2-128s", "SLH-DSA", pq, 1, "", std::nullopt},
    {"SPHINCS+-SHAKE-256f", "SPHINCS+-SHAKE-256f", "SLH-DSA", pq, 5, "SLH-DSA-SHAKE-256f",
     std::nullopt},
    {"Falcon-512", "Falcon-512", "FN-DSA", pq, 1, "", std::nullopt},
    {"FN-DSA-512", "FN-DSA-512", "FN-DSA", pq, 1, "", std::nullopt},
    {"ssh-rsa", "RSA-SHA-1", "RSA", broken, 0, "ML-DSA-65", std::nullopt},
    {"rsa-sha2-256", "RSA-SHA-256", "RSA", shor, 0, "ML-DSA-65", std::nullopt},
    {"ecdsa-sha2-nistp256", "ECDSA-P256-SHA-256", "ECDSA", shor, 0, "ML-DSA-65", 256},
    {"ssh-ed25519", "Ed25519", "EdDSA", shor, 0, "ML-DSA-65", 255},
    {"curve25519-sha256", "X25519-SHA-256", "ECDH", shor, 0, "ML-KEM-768", 255},
    {"diffie-hellman-group14-sha256", "DH-2048-SHA-256", "DH", shor, 0, "ML-KEM-768", 2048},
    {"diffie-hellman-group1-sha1", "DH-1024-SHA-1", "DH", broken, 0, "ML-KEM-768", 1024},
    {"sntrup761x25519-sha512@openssh.com", "sntrup761x25519-sha512", "hybrid", hybrid, 1, "",
     std::nullopt},
    {"mlkem768x25519-sha256", "mlkem768x25519-sha256", "hybrid", hybrid, 3, "", std::nullopt},
};

} // namespace

TEST_CASE("every listed algorithm name is parsed to its family, status, level, replacement and key "
          "size",
          "[algorithm]") {
  STATIC_REQUIRE(sizeof(table) / sizeof(table[0]) >= 45);
  for (const auto& row : table) {
    CAPTURE(row.input);
    auto a = assess_algorithm(row.input);
    CHECK(a.recognised);
    CHECK(a.input == row.input);
    CHECK(a.name == row.name);
    CHECK(a.family == row.family);
    CHECK(to_string(a.status) == std::string(to_string(row.status)));
    CHECK(a.nist_quantum_level == row.level);
    CHECK(a.replacement == row.replacement);
    CHECK(a.key_bits == row.key_bits);
  }
}

TEST_CASE("RSA-1024 is classically broken and replaced by ML-KEM-768", "[algorithm]") {
  auto a = assess_algorithm("RSA-1024");
  CHECK(a.status == quantum_status::classically_broken);
  CHECK(a.replacement == "ML-KEM-768");
  CHECK(a.risk == 1.0);
  CHECK(a.disallowed_after == "already");
  CHECK(a.classical_bits == 80);
}

TEST_CASE("RSA-2048 is deprecated after 2030 and disallowed after 2035 by NIST IR 8547",
          "[algorithm]") {
  auto a = assess_algorithm("RSA-2048");
  CHECK(a.status == quantum_status::broken_by_shor);
  CHECK(a.classical_bits == 112);
  CHECK(a.deprecated_after == "2030-12-31");
  CHECK(a.disallowed_after == "2035-12-31");
  CHECK(a.risk > 0.8);
  CHECK(a.risk < 1.0);
}

TEST_CASE("128-bit public keys are disallowed after 2035 but not deprecated earlier",
          "[algorithm]") {
  for (auto name : {"ECDSA P-256", "RSA-3072", "X25519"}) {
    CAPTURE(name);
    auto a = assess_algorithm(name);
    CHECK(a.classical_bits == 128);
    CHECK(a.deprecated_after.empty());
    CHECK(a.disallowed_after == "2035-12-31");
  }
}

TEST_CASE("names are matched case-insensitively with any separator", "[algorithm]") {
  for (auto name : {"rsa-2048", "RSA_2048", "rsa 2048", "Rsa/2048", "RSA2048"})
    CHECK(assess_algorithm(name).name == "RSA-2048");
  for (auto name : {"ml-kem-768", "ML_KEM_768", "mlkem768", "ML KEM 768"})
    CHECK(assess_algorithm(name).name == "ML-KEM-768");
}

TEST_CASE("dh inside another word does not make a Diffie-Hellman", "[algorithm]") {
  for (auto name : {"sha256dhx", "adhoc", "description", "madhouse"}) {
    CAPTURE(name);
    auto a = assess_algorithm(name);
    CHECK(a.family != "DH");
  }
  CHECK_FALSE(assess_algorithm("description").recognised);
}

TEST_CASE("an unrecognised name has unknown status and a middling risk", "[algorithm]") {
  auto a = assess_algorithm("FrobnicateCipher9000");
  CHECK_FALSE(a.recognised);
  CHECK(a.status == quantum_status::unknown);
  CHECK(a.risk == 0.5);
  CHECK(a.family == "unknown");
  CHECK_FALSE(assess_algorithm("").recognised);
}

TEST_CASE("a cipher suite lists its key exchange, authentication, cipher and MAC", "[algorithm]") {
  auto a = assess_algorithm("ECDHE-RSA-AES128-GCM-SHA256");
  CHECK(a.kind == primitive::cipher_suite);
  REQUIRE(a.components.size() == 4);
  CHECK(a.components[0].name == "ECDHE");
  CHECK(a.components[0].kind == primitive::key_exchange);
  CHECK(a.components[1].name == "RSA");
  CHECK(a.components[1].kind == primitive::signature);
  CHECK(a.components[2].name == "AES-128-GCM");
  CHECK(a.components[3].name == "HMAC-SHA-256");
  CHECK(a.deprecated_after == "2030-12-31"); // the RSA signature, assumed 2048-bit
}

TEST_CASE("a TLS 1.3 suite is only symmetric: AES-128 is weakened by Grover, AES-256 is fine",
          "[algorithm]") {
  auto weak = assess_algorithm("TLS_AES_128_GCM_SHA256");
  CHECK(weak.status == quantum_status::weakened_by_grover);
  CHECK(weak.components.size() == 2);
  auto strong = assess_algorithm("TLS_AES_256_GCM_SHA384");
  CHECK(strong.status == quantum_status::not_affected);
  CHECK(strong.nist_quantum_level == 5);
  CHECK(assess_algorithm("TLS_CHACHA20_POLY1305_SHA256").status == quantum_status::not_affected);
}

TEST_CASE("a suite with a broken cipher is classically broken as a whole", "[algorithm]") {
  for (auto name :
       {"TLS_RSA_WITH_3DES_EDE_CBC_SHA", "DES-CBC3-SHA", "RC4-MD5", "TLS_RSA_WITH_NULL_SHA"}) {
    CAPTURE(name);
    auto a = assess_algorithm(name);
    CHECK(a.status == quantum_status::classically_broken);
    CHECK(a.risk == 1.0);
    CHECK(a.disallowed_after == "already");
  }
}

TEST_CASE("a hybrid key exchange takes its post-quantum part's level and lists both parts",
          "[algorithm]") {
  auto a = assess_algorithm("X25519MLKEM768");
  CHECK(a.status == quantum_status::hybrid);
  CHECK(a.kind == primitive::key_exchange);
  CHECK(a.nist_quantum_level == 3);
  CHECK(a.risk < 0.2);
  REQUIRE(a.components.size() == 2);
  CHECK(a.components[0].name == "X25519");
  CHECK(a.components[1].name == "ML-KEM-768");
  CHECK(assess_algorithm("SecP384r1MLKEM1024").nist_quantum_level == 5);
}

TEST_CASE("SHA-1 signatures are classically broken, SHA-1 as HMAC or KDF is only weakened",
          "[algorithm]") {
  CHECK(assess_algorithm("sha1WithRSAEncryption").status == quantum_status::classically_broken);
  CHECK(assess_algorithm("HMAC-SHA1").status == quantum_status::weakened_by_grover);
  auto kex = assess_algorithm("diffie-hellman-group14-sha1");
  CHECK(kex.status == quantum_status::broken_by_shor);
  CHECK(kex.key_bits == 2048);
}

TEST_CASE("keys at 192-bit classical strength are replaced by the CNSA 2.0 parameter sets",
          "[algorithm]") {
  CHECK(assess_algorithm("ECDSA P-384").replacement == "ML-DSA-87");
  CHECK(assess_algorithm("ecdh-sha2-nistp384").replacement == "ML-KEM-1024");
  CHECK(assess_algorithm("RSA-7680").replacement == "ML-KEM-1024");
}

TEST_CASE("short elliptic curves are classically broken", "[algorithm]") {
  auto a = assess_algorithm("secp192r1");
  CHECK(a.status == quantum_status::classically_broken);
  CHECK(a.curve == "P-192");
  auto p224 = assess_algorithm("secp224r1");
  CHECK(p224.status == quantum_status::broken_by_shor);
  CHECK(p224.deprecated_after == "2030-12-31");
}

TEST_CASE("classical strengths follow SP 800-57 and collision bounds", "[algorithm]") {
  CHECK(assess_algorithm("RSA-2048").classical_bits == 112);
  CHECK(assess_algorithm("ECDSA P-256").classical_bits == 128);
  CHECK(assess_algorithm("AES-128").classical_bits == 128);
  CHECK(assess_algorithm("SHA-1").classical_bits == 63);
  CHECK(assess_algorithm("MD5").classical_bits == 18);
  CHECK(assess_algorithm("P-521").classical_bits == 256);
}

TEST_CASE("risk orders broken above Shor above Grover above hybrid above post-quantum",
          "[algorithm]") {
  double broken_risk = assess_algorithm("MD5").risk;
  double shor_risk = assess_algorithm("RSA-2048").risk;
  double grover_risk = assess_algorithm("AES-128").risk;
  double hybrid_risk = assess_algorithm("X25519MLKEM768").risk;
  double pq_risk = assess_algorithm("ML-KEM-768").risk;
  CHECK(broken_risk > shor_risk);
  CHECK(shor_risk > grover_risk);
  CHECK(grover_risk > hybrid_risk);
  CHECK(hybrid_risk > pq_risk);
  CHECK(assess_algorithm("RSA-2048").risk > assess_algorithm("RSA-4096").risk);
}

TEST_CASE("status and primitive names match the CycloneDX-style strings", "[algorithm]") {
  CHECK(std::string(to_string(quantum_status::broken_by_shor)) == "broken_by_shor");
  CHECK(std::string(to_string(quantum_status::classically_broken)) == "classically_broken");
  CHECK(std::string(to_string(quantum_status::unknown)) == "unknown");
  CHECK(std::string(to_string(primitive::key_exchange)) == "key_exchange");
  CHECK(std::string(to_string(primitive::cipher_suite)) == "cipher_suite");
}
