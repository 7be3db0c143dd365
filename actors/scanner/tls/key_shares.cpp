#include "actors/scanner/tls/key_shares.hpp"

#include <map>
#include <mutex>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/dh.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

namespace qs::scanner::tls {
namespace {

constexpr unsigned mlkem_q = 3329;

std::string random_bytes(std::size_t n) {
  std::string out(n, '\0');
  RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n));
  return out;
}

// OpenSSL's name for a curve of the TLS registry.
std::string openssl_curve(std::string_view iana) {
  if (iana == "secp256r1")
    return "prime256v1";
  if (iana == "secp192r1")
    return "prime192v1";
  return std::string(iana);
}

// An uncompressed public point on `curve`, made once per process.
std::string ec_point(std::string_view curve) {
  static std::mutex mutex;
  static std::map<std::string, std::string, std::less<>> points;
  std::lock_guard lock(mutex);
  if (auto it = points.find(curve); it != points.end())
    return it->second;
  std::string point;
  const std::string name = openssl_curve(curve);
  if (EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", name.c_str())) {
    unsigned char buf[256];
    std::size_t len = 0;
    if (EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, buf, sizeof buf,
                                        &len) == 1)
      point.assign(reinterpret_cast<const char*>(buf), len);
    EVP_PKEY_free(key);
  }
  points.emplace(std::string(curve), point);
  return point;
}

// g^x mod p for the RFC 7919 group of `bytes` bytes, x random: an element of the
// prime-order subgroup, as a server's public-key check wants (a random number
// below p is one only half the time). Made once per process, as the curves'
// points are (the ffdhe8192 one costs milliseconds).
std::string make_finite_field_element(std::size_t bytes);

std::string finite_field_element(std::size_t bytes) {
  static std::mutex mutex;
  static std::map<std::size_t, std::string> elements;
  std::lock_guard lock(mutex);
  auto& element = elements[bytes];
  if (element.empty())
    element = make_finite_field_element(bytes);
  return element;
}

std::string make_finite_field_element(std::size_t bytes) {
  const int nid = bytes == 256   ? NID_ffdhe2048
                  : bytes == 384 ? NID_ffdhe3072
                  : bytes == 512 ? NID_ffdhe4096
                  : bytes == 768 ? NID_ffdhe6144
                                 : NID_ffdhe8192;
  std::string out;
  DH* dh = DH_new_by_nid(nid);
  BN_CTX* ctx = BN_CTX_new();
  BIGNUM* x = BN_new();
  BIGNUM* y = BN_new();
  const BIGNUM *p = nullptr, *g = nullptr;
  if (dh && ctx && x && y) {
    DH_get0_pqg(dh, &p, nullptr, &g);
    if (BN_rand(x, 256, BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ANY) == 1 &&
        BN_mod_exp(y, g, x, p, ctx) == 1) {
      out.assign(bytes, '\0');
      BN_bn2binpad(y, reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(bytes));
    }
  }
  BN_free(y);
  BN_free(x);
  BN_CTX_free(ctx);
  DH_free(dh);
  return out;
}

} // namespace

std::string mlkem_encapsulation_key(int k) {
  std::string out;
  out.reserve(static_cast<std::size_t>(384 * k + 32));
  const std::size_t coefficients = 256u * static_cast<std::size_t>(k);
  std::string random = random_bytes(coefficients * 2);
  for (std::size_t i = 0; i < coefficients; i += 2) {
    auto draw = [&](std::size_t j) {
      const unsigned v = static_cast<unsigned char>(random[2 * j]) |
                         (static_cast<unsigned char>(random[2 * j + 1]) << 8);
      return v % mlkem_q; // a slight bias is of no matter here
    };
    const unsigned a = draw(i), b = draw(i + 1);
    out += static_cast<char>(a & 0xff);
    out += static_cast<char>((a >> 8) | ((b & 0x0f) << 4));
    out += static_cast<char>(b >> 4);
  }
  out += random_bytes(32);
  return out;
}

bool mlkem_modulus_check(const std::string& key) {
  if (key.size() < 32 || (key.size() - 32) % 384 != 0)
    return false;
  const auto* p = reinterpret_cast<const unsigned char*>(key.data());
  for (std::size_t i = 0; i + 3 <= key.size() - 32; i += 3) {
    const unsigned a = p[i] | ((p[i + 1] & 0x0f) << 8);
    const unsigned b = (p[i + 1] >> 4) | (p[i + 2] << 4);
    if (a >= mlkem_q || b >= mlkem_q)
      return false;
  }
  return true;
}

std::string key_share_for(const named_group& group) {
  const auto name = group.name;
  switch (group.kind) {
  case group_kind::elliptic_curve:
    return ec_point(name);
  case group_kind::montgomery_curve:
    return random_bytes(group.key_share_bytes);
  case group_kind::finite_field:
    return finite_field_element(group.key_share_bytes);
  case group_kind::post_quantum:
    return mlkem_encapsulation_key(name == "MLKEM512" ? 2 : name == "MLKEM768" ? 3 : 4);
  case group_kind::hybrid:
    if (name == "X25519MLKEM768") // ML-KEM first, then X25519 (draft-ietf-tls-ecdhe-mlkem)
      return mlkem_encapsulation_key(3) + random_bytes(32);
    if (name == "SecP256r1MLKEM768" || name == "SecP256r1Kyber768Draft00")
      return ec_point("secp256r1") + mlkem_encapsulation_key(3);
    if (name == "SecP384r1MLKEM1024")
      return ec_point("secp384r1") + mlkem_encapsulation_key(4);
    if (name == "X25519Kyber768Draft00") // X25519 first (draft-tls-westerbaan-xyber768d00)
      return random_bytes(32) + mlkem_encapsulation_key(3);
    return {};
  }
  return {};
}

} // namespace qs::scanner::tls
