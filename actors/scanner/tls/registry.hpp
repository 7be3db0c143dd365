// The TLS code points the scanner offers and names, by their IANA registry
// names (so other tools can read them): protocol versions, cipher suites,
// supported groups and signature schemes. One table each; what a suite is made
// of (key exchange, authentication, cipher, MAC) is read from its IANA name.
// The quantum assessment of a name is actors/analytics/algorithm.hpp's.
//
// Pure, immutable data: safe from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace qs::scanner::tls {

inline constexpr std::uint16_t ssl3 = 0x0300;
inline constexpr std::uint16_t tls10 = 0x0301;
inline constexpr std::uint16_t tls11 = 0x0302;
inline constexpr std::uint16_t tls12 = 0x0303;
inline constexpr std::uint16_t tls13 = 0x0304;

/// "SSLv3", "TLSv1.0" ... "TLSv1.3"; "0x7f1c" for anything else.
std::string version_name(std::uint16_t version);

struct cipher_suite {
  std::uint16_t code = 0;
  std::string_view name;           ///< IANA: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"
  std::string_view key_exchange;   ///< "ECDHE", "DHE", "RSA", "DH", "ECDH"; "" in TLS 1.3
  std::string_view authentication; ///< "RSA", "ECDSA", "DSS", "anon"; "" in TLS 1.3
  std::string_view cipher;         ///< "AES_128_GCM", "3DES_EDE_CBC", "NULL", "RC4_128"
  std::string_view mac;            ///< "SHA256", "SHA", "MD5"; "" for CCM without one
  bool tls13 = false;              ///< a TLS 1.3 suite (and only that)
  bool tls12_only = false;         ///< needs TLS 1.2 (AEAD or SHA-2 MAC)
  bool forward_secret = false;     ///< ephemeral key exchange (and every TLS 1.3 suite)
  bool anonymous = false;          ///< no server authentication
  bool null_cipher = false;        ///< no encryption
  bool export_grade = false;       ///< 40- or 56-bit export suites
};

/// Every suite the scanner knows, by code.
const std::vector<cipher_suite>& cipher_suites();
const cipher_suite* find_suite(std::uint16_t code);

enum class group_kind { elliptic_curve, montgomery_curve, finite_field, post_quantum, hybrid };

struct named_group {
  std::uint16_t code = 0;
  std::string_view name; ///< IANA: "x25519", "secp256r1", "X25519MLKEM768", "ffdhe2048"
  group_kind kind = group_kind::elliptic_curve;
  std::size_t key_share_bytes = 0; ///< a client's key share for it, in TLS 1.3
  bool tls12 = false;              ///< usable for ECDHE in TLS 1.2 (curves)
};

const std::vector<named_group>& named_groups();
const named_group* find_group(std::uint16_t code);
const named_group* find_group(std::string_view name);

struct signature_scheme {
  std::uint16_t code = 0;
  std::string_view name; ///< "rsa_pss_rsae_sha256", "ed25519", "mldsa65"
};

const std::vector<signature_scheme>& signature_schemes();
const signature_scheme* find_scheme(std::uint16_t code);

/// "0x1234" for a code point no table knows.
std::string unknown_code(std::uint16_t code);

/// RFC 7919's name of a TLS 1.2 DHE prime ("ffdhe2048"...), or "dhe-BITS".
std::string dhe_group_name(std::string_view prime_big_endian);

} // namespace qs::scanner::tls
