#include "actors/scanner/tls/registry.hpp"

#include <algorithm>
#include <array>
#include <cstdio>

#include <openssl/bn.h>
#include <openssl/dh.h>
#include <openssl/objects.h>

namespace qs::scanner::tls {
namespace {

struct raw_suite {
  std::uint16_t code;
  const char* name;
};

// The suites OpenSSL 3.0 knows (`openssl ciphers -V -stdname 'ALL:COMPLEMENTOFALL'`)
// without PSK and SRP (which need a secret the scanner does not have), plus the
// legacy ones old servers still accept (RC4, DES, 3DES, export, IDEA, SEED, static
// DH and ECDH) and TLS 1.3's CCM suites.
constexpr raw_suite raw_suites[] = {
    {0x0001, "TLS_RSA_WITH_NULL_MD5"},
    {0x0002, "TLS_RSA_WITH_NULL_SHA"},
    {0x0003, "TLS_RSA_EXPORT_WITH_RC4_40_MD5"},
    {0x0004, "TLS_RSA_WITH_RC4_128_MD5"},
    {0x0005, "TLS_RSA_WITH_RC4_128_SHA"},
    {0x0006, "TLS_RSA_EXPORT_WITH_RC2_CBC_40_MD5"},
    {0x0007, "TLS_RSA_WITH_IDEA_CBC_SHA"},
    {0x0008, "TLS_RSA_EXPORT_WITH_DES40_CBC_SHA"},
    {0x0009, "TLS_RSA_WITH_DES_CBC_SHA"},
    {0x000A, "TLS_RSA_WITH_3DES_EDE_CBC_SHA"},
    {0x0011, "TLS_DHE_DSS_EXPORT_WITH_DES40_CBC_SHA"},
    {0x0012, "TLS_DHE_DSS_WITH_DES_CBC_SHA"},
    {0x0013, "TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA"},
    {0x0014, "TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA"},
    {0x0015, "TLS_DHE_RSA_WITH_DES_CBC_SHA"},
    {0x0016, "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA"},
    {0x0017, "TLS_DH_anon_EXPORT_WITH_RC4_40_MD5"},
    {0x0018, "TLS_DH_anon_WITH_RC4_128_MD5"},
    {0x001B, "TLS_DH_anon_WITH_3DES_EDE_CBC_SHA"},
    {0x002F, "TLS_RSA_WITH_AES_128_CBC_SHA"},
    {0x0030, "TLS_DH_DSS_WITH_AES_128_CBC_SHA"},
    {0x0031, "TLS_DH_RSA_WITH_AES_128_CBC_SHA"},
    {0x0032, "TLS_DHE_DSS_WITH_AES_128_CBC_SHA"},
    {0x0033, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA"},
    {0x0034, "TLS_DH_anon_WITH_AES_128_CBC_SHA"},
    {0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA"},
    {0x0036, "TLS_DH_DSS_WITH_AES_256_CBC_SHA"},
    {0x0037, "TLS_DH_RSA_WITH_AES_256_CBC_SHA"},
    {0x0038, "TLS_DHE_DSS_WITH_AES_256_CBC_SHA"},
    {0x0039, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA"},
    {0x003A, "TLS_DH_anon_WITH_AES_256_CBC_SHA"},
    {0x003B, "TLS_RSA_WITH_NULL_SHA256"},
    {0x003C, "TLS_RSA_WITH_AES_128_CBC_SHA256"},
    {0x003D, "TLS_RSA_WITH_AES_256_CBC_SHA256"},
    {0x0040, "TLS_DHE_DSS_WITH_AES_128_CBC_SHA256"},
    {0x0041, "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA"},
    {0x0044, "TLS_DHE_DSS_WITH_CAMELLIA_128_CBC_SHA"},
    {0x0045, "TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA"},
    {0x0046, "TLS_DH_anon_WITH_CAMELLIA_128_CBC_SHA"},
    {0x0067, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256"},
    {0x006A, "TLS_DHE_DSS_WITH_AES_256_CBC_SHA256"},
    {0x006B, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256"},
    {0x006C, "TLS_DH_anon_WITH_AES_128_CBC_SHA256"},
    {0x006D, "TLS_DH_anon_WITH_AES_256_CBC_SHA256"},
    {0x0084, "TLS_RSA_WITH_CAMELLIA_256_CBC_SHA"},
    {0x0087, "TLS_DHE_DSS_WITH_CAMELLIA_256_CBC_SHA"},
    {0x0088, "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA"},
    {0x0089, "TLS_DH_anon_WITH_CAMELLIA_256_CBC_SHA"},
    {0x0096, "TLS_RSA_WITH_SEED_CBC_SHA"},
    {0x009A, "TLS_DHE_RSA_WITH_SEED_CBC_SHA"},
    {0x009C, "TLS_RSA_WITH_AES_128_GCM_SHA256"},
    {0x009D, "TLS_RSA_WITH_AES_256_GCM_SHA384"},
    {0x009E, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"},
    {0x009F, "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384"},
    {0x00A2, "TLS_DHE_DSS_WITH_AES_128_GCM_SHA256"},
    {0x00A3, "TLS_DHE_DSS_WITH_AES_256_GCM_SHA384"},
    {0x00A6, "TLS_DH_anon_WITH_AES_128_GCM_SHA256"},
    {0x00A7, "TLS_DH_anon_WITH_AES_256_GCM_SHA384"},
    {0x00BA, "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA256"},
    {0x00BD, "TLS_DHE_DSS_WITH_CAMELLIA_128_CBC_SHA256"},
    {0x00BE, "TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA256"},
    {0x00BF, "TLS_DH_anon_WITH_CAMELLIA_128_CBC_SHA256"},
    {0x00C0, "TLS_RSA_WITH_CAMELLIA_256_CBC_SHA256"},
    {0x00C3, "TLS_DHE_DSS_WITH_CAMELLIA_256_CBC_SHA256"},
    {0x00C4, "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA256"},
    {0x00C5, "TLS_DH_anon_WITH_CAMELLIA_256_CBC_SHA256"},
    {0x1301, "TLS_AES_128_GCM_SHA256"},
    {0x1302, "TLS_AES_256_GCM_SHA384"},
    {0x1303, "TLS_CHACHA20_POLY1305_SHA256"},
    {0x1304, "TLS_AES_128_CCM_SHA256"},
    {0x1305, "TLS_AES_128_CCM_8_SHA256"},
    {0xC004, "TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA"},
    {0xC005, "TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA"},
    {0xC006, "TLS_ECDHE_ECDSA_WITH_NULL_SHA"},
    {0xC007, "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA"},
    {0xC008, "TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA"},
    {0xC009, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"},
    {0xC00A, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA"},
    {0xC00E, "TLS_ECDH_RSA_WITH_AES_128_CBC_SHA"},
    {0xC00F, "TLS_ECDH_RSA_WITH_AES_256_CBC_SHA"},
    {0xC010, "TLS_ECDHE_RSA_WITH_NULL_SHA"},
    {0xC011, "TLS_ECDHE_RSA_WITH_RC4_128_SHA"},
    {0xC012, "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA"},
    {0xC013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"},
    {0xC014, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA"},
    {0xC015, "TLS_ECDH_anon_WITH_NULL_SHA"},
    {0xC016, "TLS_ECDH_anon_WITH_RC4_128_SHA"},
    {0xC017, "TLS_ECDH_anon_WITH_3DES_EDE_CBC_SHA"},
    {0xC018, "TLS_ECDH_anon_WITH_AES_128_CBC_SHA"},
    {0xC019, "TLS_ECDH_anon_WITH_AES_256_CBC_SHA"},
    {0xC023, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"},
    {0xC024, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384"},
    {0xC027, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256"},
    {0xC028, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384"},
    {0xC02B, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"},
    {0xC02C, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"},
    {0xC02D, "TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256"},
    {0xC02E, "TLS_ECDH_ECDSA_WITH_AES_256_GCM_SHA384"},
    {0xC02F, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"},
    {0xC030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"},
    {0xC031, "TLS_ECDH_RSA_WITH_AES_128_GCM_SHA256"},
    {0xC032, "TLS_ECDH_RSA_WITH_AES_256_GCM_SHA384"},
    {0xC050, "TLS_RSA_WITH_ARIA_128_GCM_SHA256"},
    {0xC051, "TLS_RSA_WITH_ARIA_256_GCM_SHA384"},
    {0xC052, "TLS_DHE_RSA_WITH_ARIA_128_GCM_SHA256"},
    {0xC053, "TLS_DHE_RSA_WITH_ARIA_256_GCM_SHA384"},
    {0xC056, "TLS_DHE_DSS_WITH_ARIA_128_GCM_SHA256"},
    {0xC057, "TLS_DHE_DSS_WITH_ARIA_256_GCM_SHA384"},
    {0xC05C, "TLS_ECDHE_ECDSA_WITH_ARIA_128_GCM_SHA256"},
    {0xC05D, "TLS_ECDHE_ECDSA_WITH_ARIA_256_GCM_SHA384"},
    {0xC060, "TLS_ECDHE_RSA_WITH_ARIA_128_GCM_SHA256"},
    {0xC061, "TLS_ECDHE_RSA_WITH_ARIA_256_GCM_SHA384"},
    {0xC072, "TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_CBC_SHA256"},
    {0xC073, "TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_CBC_SHA384"},
    {0xC076, "TLS_ECDHE_RSA_WITH_CAMELLIA_128_CBC_SHA256"},
    {0xC077, "TLS_ECDHE_RSA_WITH_CAMELLIA_256_CBC_SHA384"},
    {0xC09C, "TLS_RSA_WITH_AES_128_CCM"},
    {0xC09D, "TLS_RSA_WITH_AES_256_CCM"},
    {0xC09E, "TLS_DHE_RSA_WITH_AES_128_CCM"},
    {0xC09F, "TLS_DHE_RSA_WITH_AES_256_CCM"},
    {0xC0A0, "TLS_RSA_WITH_AES_128_CCM_8"},
    {0xC0A1, "TLS_RSA_WITH_AES_256_CCM_8"},
    {0xC0A2, "TLS_DHE_RSA_WITH_AES_128_CCM_8"},
    {0xC0A3, "TLS_DHE_RSA_WITH_AES_256_CCM_8"},
    {0xC0AC, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM"},
    {0xC0AD, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM"},
    {0xC0AE, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8"},
    {0xC0AF, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8"},
    {0xCCA8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"},
    {0xCCA9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"},
    {0xCCAA, "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256"},
};

bool starts_with(std::string_view s, std::string_view p) {
  return s.substr(0, p.size()) == p;
}

// "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256" -> its parts.
cipher_suite describe(std::uint16_t code, std::string_view name) {
  cipher_suite s;
  s.code = code;
  s.name = name;
  auto rest = name.substr(4); // after "TLS_"
  const auto with = rest.find("_WITH_");
  std::string_view body = rest;
  if (with == std::string_view::npos) {
    s.tls13 = true;
    s.forward_secret = true;
  } else {
    const auto kx_au = rest.substr(0, with);
    body = rest.substr(with + 6);
    const auto sep = kx_au.find('_');
    s.key_exchange = kx_au.substr(0, sep);
    s.authentication = sep == std::string_view::npos ? s.key_exchange : kx_au.substr(sep + 1);
    if (starts_with(s.authentication, "EXPORT")) // TLS_RSA_EXPORT_WITH_...
      s.authentication = s.key_exchange, s.export_grade = true;
    if (s.authentication.find("_EXPORT") != std::string_view::npos) { // TLS_DHE_RSA_EXPORT
      s.authentication = s.authentication.substr(0, s.authentication.find("_EXPORT"));
      s.export_grade = true;
    }
    s.forward_secret =
        s.key_exchange == "DHE" || s.key_exchange == "ECDHE" ||
        (s.authentication == "anon" && (s.key_exchange == "DH" || s.key_exchange == "ECDH"));
    s.anonymous = s.authentication == "anon";
  }
  const auto last = body.rfind('_');
  const auto mac = last == std::string_view::npos ? std::string_view{} : body.substr(last + 1);
  if (mac == "MD5" || mac == "SHA" || mac == "SHA256" || mac == "SHA384") {
    s.mac = mac;
    s.cipher = body.substr(0, last);
  } else {
    s.cipher = body; // ..._CCM, ..._CCM_8: no MAC of their own
  }
  s.null_cipher = s.cipher == "NULL";
  const bool aead = s.cipher.find("GCM") != std::string_view::npos ||
                    s.cipher.find("CCM") != std::string_view::npos ||
                    s.cipher.find("CHACHA20") != std::string_view::npos;
  s.tls12_only = !s.tls13 && (aead || s.mac == "SHA256" || s.mac == "SHA384");
  s.export_grade = s.export_grade || s.cipher.find("_40") != std::string_view::npos;
  return s;
}

constexpr std::array<named_group, 31> groups = {{
    {0x0001, "sect163k1", group_kind::elliptic_curve, 43, true},
    {0x0003, "sect163r2", group_kind::elliptic_curve, 43, true},
    {0x0006, "sect233k1", group_kind::elliptic_curve, 61, true},
    {0x0007, "sect233r1", group_kind::elliptic_curve, 61, true},
    {0x0009, "sect283k1", group_kind::elliptic_curve, 73, true},
    {0x000A, "sect283r1", group_kind::elliptic_curve, 73, true},
    {0x000B, "sect409k1", group_kind::elliptic_curve, 105, true},
    {0x000C, "sect409r1", group_kind::elliptic_curve, 105, true},
    {0x000D, "sect571k1", group_kind::elliptic_curve, 145, true},
    {0x000E, "sect571r1", group_kind::elliptic_curve, 145, true},
    {0x0013, "secp192r1", group_kind::elliptic_curve, 49, true},
    {0x0015, "secp224r1", group_kind::elliptic_curve, 57, true},
    {0x0016, "secp256k1", group_kind::elliptic_curve, 65, true},
    {0x0017, "secp256r1", group_kind::elliptic_curve, 65, true},
    {0x0018, "secp384r1", group_kind::elliptic_curve, 97, true},
    {0x0019, "secp521r1", group_kind::elliptic_curve, 133, true},
    {0x001A, "brainpoolP256r1", group_kind::elliptic_curve, 65, true},
    {0x001B, "brainpoolP384r1", group_kind::elliptic_curve, 97, true},
    {0x001C, "brainpoolP512r1", group_kind::elliptic_curve, 129, true},
    {0x001D, "x25519", group_kind::montgomery_curve, 32, true},
    {0x001E, "x448", group_kind::montgomery_curve, 56, true},
    {0x0100, "ffdhe2048", group_kind::finite_field, 256, false},
    {0x0101, "ffdhe3072", group_kind::finite_field, 384, false},
    {0x0102, "ffdhe4096", group_kind::finite_field, 512, false},
    {0x0103, "ffdhe6144", group_kind::finite_field, 768, false},
    {0x0104, "ffdhe8192", group_kind::finite_field, 1024, false},
    {0x0200, "MLKEM512", group_kind::post_quantum, 800, false},
    {0x0201, "MLKEM768", group_kind::post_quantum, 1184, false},
    {0x0202, "MLKEM1024", group_kind::post_quantum, 1568, false},
    {0x11EB, "SecP256r1MLKEM768", group_kind::hybrid, 65 + 1184, false},
    {0x11EC, "X25519MLKEM768", group_kind::hybrid, 1184 + 32, false},
}};

// Kept apart: appended so the table above stays sorted by code.
constexpr std::array<named_group, 3> late_groups = {{
    {0x11ED, "SecP384r1MLKEM1024", group_kind::hybrid, 97 + 1568, false},
    {0x6399, "X25519Kyber768Draft00", group_kind::hybrid, 32 + 1184, false},
    {0x639A, "SecP256r1Kyber768Draft00", group_kind::hybrid, 65 + 1184, false},
}};

constexpr std::array<signature_scheme, 28> schemes = {{
    {0x0201, "rsa_pkcs1_sha1"},
    {0x0202, "dsa_sha1"},
    {0x0203, "ecdsa_sha1"},
    {0x0301, "rsa_pkcs1_sha224"},
    {0x0302, "dsa_sha224"},
    {0x0303, "ecdsa_sha224"},
    {0x0401, "rsa_pkcs1_sha256"},
    {0x0402, "dsa_sha256"},
    {0x0403, "ecdsa_secp256r1_sha256"},
    {0x0501, "rsa_pkcs1_sha384"},
    {0x0502, "dsa_sha384"},
    {0x0503, "ecdsa_secp384r1_sha384"},
    {0x0601, "rsa_pkcs1_sha512"},
    {0x0602, "dsa_sha512"},
    {0x0603, "ecdsa_secp521r1_sha512"},
    {0x0804, "rsa_pss_rsae_sha256"},
    {0x0805, "rsa_pss_rsae_sha384"},
    {0x0806, "rsa_pss_rsae_sha512"},
    {0x0807, "ed25519"},
    {0x0808, "ed448"},
    {0x0809, "rsa_pss_pss_sha256"},
    {0x080A, "rsa_pss_pss_sha384"},
    {0x080B, "rsa_pss_pss_sha512"},
    {0x081A, "ecdsa_brainpoolP256r1tls13_sha256"},
    {0x081B, "ecdsa_brainpoolP384r1tls13_sha384"},
    {0x081C, "ecdsa_brainpoolP512r1tls13_sha512"},
    {0x0904, "mldsa44"},
    {0x0905, "mldsa65"},
}};

constexpr signature_scheme mldsa87{0x0906, "mldsa87"};

} // namespace

std::string unknown_code(std::uint16_t code) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%04x", code);
  return buf;
}

std::string version_name(std::uint16_t version) {
  switch (version) {
  case ssl3:
    return "SSLv3";
  case tls10:
    return "TLSv1.0";
  case tls11:
    return "TLSv1.1";
  case tls12:
    return "TLSv1.2";
  case tls13:
    return "TLSv1.3";
  }
  return unknown_code(version);
}

const std::vector<cipher_suite>& cipher_suites() {
  static const std::vector<cipher_suite> all = [] {
    std::vector<cipher_suite> out;
    for (const auto& r : raw_suites)
      out.push_back(describe(r.code, r.name));
    return out;
  }();
  return all;
}

const cipher_suite* find_suite(std::uint16_t code) {
  const auto& all = cipher_suites();
  auto it = std::lower_bound(all.begin(), all.end(), code,
                             [](const cipher_suite& s, std::uint16_t c) { return s.code < c; });
  return it != all.end() && it->code == code ? &*it : nullptr;
}

const std::vector<named_group>& named_groups() {
  static const std::vector<named_group> all = [] {
    std::vector<named_group> out(groups.begin(), groups.end());
    out.insert(out.end(), late_groups.begin(), late_groups.end());
    return out;
  }();
  return all;
}

const named_group* find_group(std::uint16_t code) {
  for (const auto& g : named_groups())
    if (g.code == code)
      return &g;
  return nullptr;
}

const named_group* find_group(std::string_view name) {
  for (const auto& g : named_groups())
    if (g.name == name)
      return &g;
  return nullptr;
}

const std::vector<signature_scheme>& signature_schemes() {
  static const std::vector<signature_scheme> all = [] {
    std::vector<signature_scheme> out(schemes.begin(), schemes.end());
    out.push_back(mldsa87);
    return out;
  }();
  return all;
}

const signature_scheme* find_scheme(std::uint16_t code) {
  for (const auto& s : signature_schemes())
    if (s.code == code)
      return &s;
  return nullptr;
}

std::string dhe_group_name(std::string_view prime) {
  // RFC 7919's primes, from OpenSSL's copies of them.
  static const std::vector<std::pair<std::string, std::string>> known = [] {
    std::vector<std::pair<std::string, std::string>> out;
    for (auto [nid, name] : {std::pair{NID_ffdhe2048, "ffdhe2048"},
                             {NID_ffdhe3072, "ffdhe3072"},
                             {NID_ffdhe4096, "ffdhe4096"},
                             {NID_ffdhe6144, "ffdhe6144"},
                             {NID_ffdhe8192, "ffdhe8192"}}) {
      DH* dh = DH_new_by_nid(nid);
      if (!dh)
        continue;
      const BIGNUM* p = nullptr;
      DH_get0_pqg(dh, &p, nullptr, nullptr);
      std::string bytes(static_cast<std::size_t>(BN_num_bytes(p)), '\0');
      BN_bn2bin(p, reinterpret_cast<unsigned char*>(bytes.data()));
      out.emplace_back(std::move(bytes), name);
      DH_free(dh);
    }
    return out;
  }();
  while (!prime.empty() && prime.front() == '\0')
    prime.remove_prefix(1);
  for (const auto& [p, name] : known)
    if (p == prime)
      return name;
  std::size_t bits = prime.size() * 8;
  if (!prime.empty())
    for (unsigned char top = static_cast<unsigned char>(prime.front()); !(top & 0x80); top <<= 1)
      --bits;
  return "dhe-" + std::to_string(bits);
}

} // namespace qs::scanner::tls
