#include "actors/analytics/algorithm_elements.hpp"

#include <algorithm>
#include <initializer_list>
#include <string_view>
#include <utility>

#include "actors/analytics/algorithm_lexer.hpp"

namespace qs::analytics {

namespace {

bool one_of(const std::string& atom, std::initializer_list<std::string_view> words) {
  return std::find(words.begin(), words.end(), atom) != words.end();
}

// Words that may sit between an algorithm and its size ("rsaEncryption 2048").
bool is_size_noise(const std::string& atom) {
  return one_of(atom, {"encryption", "key", "bits", "bit", "pkcs1", "pss", "oaep", "modulus"});
}

std::string upper(std::string s) {
  for (auto& c : s)
    if (c >= 'a' && c <= 'z')
      c = static_cast<char>(c - 'a' + 'A');
  return s;
}

int ssh_group_bits(int group) {
  switch (group) {
  case 1:
  case 2:
    return 1024; // SSH "group1" is Oakley group 2
  case 5:
    return 1536;
  case 14:
    return 2048;
  case 15:
    return 3072;
  case 16:
    return 4096;
  case 17:
    return 6144;
  case 18:
    return 8192;
  default:
    return 0;
  }
}

class atom_reader {
public:
  explicit atom_reader(const std::vector<std::string>& atoms) : atoms_(atoms) {}

  parsed_algorithm read() {
    while (i_ < atoms_.size()) {
      std::size_t length = 0;
      auto c = curve_at(0, length);
      if (c && c->name != "Curve25519" && c->name != "Curve448") {
        i_ += length; // a named curve: it belongs to the ECDSA/ECDH before it, if any
        attach_curve(*c);
        continue;
      }
      read_one(atoms_[i_++]);
    }
    if (pending_hmac_)
      push_value(element_tag::mac, catalog::hmac(catalog::sha2_family(256)));
    return std::move(result_);
  }

private:
  const std::string& peek(std::size_t ahead = 0) const {
    static const std::string none;
    return i_ + ahead < atoms_.size() ? atoms_[i_ + ahead] : none;
  }

  std::optional<int> take_number(std::initializer_list<int> allowed) {
    int v = number_value(peek());
    if (v >= 0 && std::find(allowed.begin(), allowed.end(), v) != allowed.end()) {
      ++i_;
      return v;
    }
    return std::nullopt;
  }

  // A modulus size, possibly after noise words; consumes nothing when there is none.
  std::optional<int> take_modulus() {
    std::size_t k = 0;
    while (is_size_noise(peek(k)))
      ++k;
    int v = number_value(peek(k));
    if (v < 256 || v > 65536)
      return std::nullopt;
    for (std::size_t j = 0; j < k; ++j)
      note_hint(peek(j));
    i_ += k + 1;
    return v;
  }

  std::optional<catalog::curve_info> curve_at(std::size_t ahead, std::size_t& length) const {
    if (auto c = catalog::curve_from_atom(peek(ahead))) {
      length = 1;
      return c;
    }
    const auto& word = peek(ahead);
    if (word == "p" || word == "nistp" || word == "secp") {
      if (auto c = catalog::nist_curve(number_value(peek(ahead + 1)))) {
        length = 2;
        if (word == "secp" && one_of(peek(ahead + 2), {"r", "r1"}))
          length = 3;
        return c;
      }
    }
    return std::nullopt;
  }

  std::optional<catalog::curve_info> take_curve() {
    std::size_t length = 0;
    auto c = curve_at(0, length);
    i_ += length;
    return c;
  }

  std::string take_mode() {
    const auto& m = peek();
    if (!one_of(m, {"gcm", "ccm", "cbc", "ctr", "ecb", "cfb", "ofb", "xts", "ocb", "siv"}))
      return "";
    ++i_;
    if (m == "gcm" && peek() == "siv") {
      ++i_;
      return "GCM-SIV";
    }
    return upper(m);
  }

  void note_hint(const std::string& a) {
    if (one_of(a, {"pss", "sig", "signature", "sign"}))
      result_.hints.signature = true;
    else if (one_of(a, {"oaep", "kem", "kex", "encrypt"}))
      result_.hints.encryption = true;
  }

  algorithm_element& push(element_tag tag) {
    result_.elements.push_back(
        algorithm_element{tag, std::nullopt, std::nullopt, false, "", "", {}});
    return result_.elements.back();
  }

  void push_value(element_tag tag, algorithm_assessment value) {
    if (tag == element_tag::hash && pending_hmac_) {
      pending_hmac_ = false;
      tag = element_tag::mac;
      value = catalog::hmac(value);
    }
    push(tag).value = std::move(value);
  }

  void push_public_key(element_tag tag) {
    auto& e = push(tag);
    if (tag == element_tag::ecdh || tag == element_tag::ecdsa)
      e.curve = take_curve();
  }

  void attach_curve(catalog::curve_info c) {
    for (auto it = result_.elements.rbegin(); it != result_.elements.rend(); ++it)
      if ((it->tag == element_tag::ecdh || it->tag == element_tag::ecdsa) && !it->curve) {
        it->curve = std::move(c);
        return;
      }
    push(element_tag::curve).curve = std::move(c);
  }

  void attach_trailing_modulus(int bits) {
    if (bits < 512 || bits > 65536)
      return;
    for (auto it = result_.elements.rbegin(); it != result_.elements.rend(); ++it) {
      bool finite_field = it->tag == element_tag::rsa || it->tag == element_tag::dh ||
                          it->tag == element_tag::dsa || it->tag == element_tag::elgamal;
      if (finite_field && !it->bits) {
        it->bits = bits;
        return;
      }
    }
  }

  void read_sha2_like(const std::string& a) {
    if (a == "sha" && peek() == "3") {
      ++i_;
      read_sha2_like("sha3");
      return;
    }
    if (a == "sha3") {
      push_value(element_tag::hash,
                 catalog::sha3_family(take_number({224, 256, 384, 512}).value_or(256)));
      return;
    }
    if (auto n = take_number({1, 160, 224, 256, 384, 512})) {
      push_value(element_tag::hash, catalog::sha2_family(*n));
      return;
    }
    if (a == "sha") { // TLS "_SHA" and bare "SHA" mean SHA-1
      push_value(element_tag::hash, catalog::sha2_family(1));
      return;
    }
    std::size_t length = 0; // "ecdsa-sha2-nistp384": the curve picks the hash
    auto c = curve_at(0, length);
    int bits = !c ? 256 : c->bits > 384 ? 512 : c->bits > 256 ? 384 : 256;
    push_value(element_tag::hash, catalog::sha2_family(bits));
  }

  void read_slh_dsa(bool sphincs) {
    std::string variant = "SHA2";
    if (one_of(peek(), {"sha2", "sha", "shake", "haraka"})) {
      variant = peek() == "shake" ? "SHAKE" : peek() == "haraka" ? "Haraka" : "SHA2";
      ++i_;
      if (is_number_atom(peek()) && is_number_atom(peek(1)))
        ++i_; // "sha256-128s": the hash size
    }
    int n = take_number({128, 192, 256}).value_or(128);
    std::string speed = "s";
    if (one_of(peek(), {"s", "f"}))
      speed = atoms_[i_++];
    while (one_of(peek(), {"simple", "robust"}))
      ++i_;
    std::string suffix = variant + "-" + std::to_string(n) + speed;
    int level = n >= 256 ? 5 : n >= 192 ? 3 : 1;
    std::string standard = "SLH-DSA-" + suffix;
    if (sphincs)
      push_value(element_tag::pq_signature,
                 catalog::post_quantum("SPHINCS+-" + suffix, "SLH-DSA", primitive::signature, level,
                                       standard));
    else
      push_value(element_tag::pq_signature,
                 catalog::post_quantum(standard, "SLH-DSA", primitive::signature, level));
  }

  void read_ml_kem(bool kyber) {
    int n = take_number({512, 768, 1024}).value_or(768);
    int level = n == 512 ? 1 : n == 768 ? 3 : 5;
    std::string standard = "ML-KEM-" + std::to_string(n);
    auto value = kyber ? catalog::post_quantum("Kyber" + std::to_string(n), "ML-KEM",
                                               primitive::key_exchange, level, standard)
                       : catalog::post_quantum(standard, "ML-KEM", primitive::key_exchange, level);
    push_value(element_tag::pq_kem, std::move(value));
    result_.elements.back().label = (kyber ? "Kyber" : "MLKEM") + std::to_string(n);
  }

  void read_ml_dsa(bool dilithium) {
    int n = 65;
    if (dilithium) {
      auto v = take_number({2, 3, 5});
      n = !v ? 65 : *v == 2 ? 44 : *v == 3 ? 65 : 87;
    } else {
      n = take_number({44, 65, 87}).value_or(65);
    }
    int level = n == 44 ? 2 : n == 65 ? 3 : 5;
    std::string standard = "ML-DSA-" + std::to_string(n);
    int round3 = n == 44 ? 2 : n == 65 ? 3 : 5;
    push_value(element_tag::pq_signature,
               dilithium ? catalog::post_quantum("Dilithium" + std::to_string(round3), "ML-DSA",
                                                 primitive::signature, level, standard)
                         : catalog::post_quantum(standard, "ML-DSA", primitive::signature, level));
  }

  void read_one(const std::string& a) {
    if (a == "tls" || a == "ssl") {
      result_.hints.tls = true;
    } else if (a == "ssh") {
      result_.hints.ssh = true;
    } else if (a == "with") {
      result_.hints.with = true;
    } else if (a == "rsa" || a == "rsassa" || a == "rsaes") {
      if (a == "rsassa")
        result_.hints.signature = true;
      if (a == "rsaes")
        result_.hints.encryption = true;
      push(element_tag::rsa).bits = take_modulus();
    } else if (one_of(a, {"dh", "dhe", "edh", "ffdh", "diffie"})) {
      if (a == "diffie" && peek() == "hellman")
        ++i_;
      auto& e = push(element_tag::dh);
      e.ephemeral = a == "dhe" || a == "edh";
      e.bits = take_modulus();
      if (peek() == "group") {
        ++i_;
        if (int bits = ssh_group_bits(number_value(peek())); bits > 0) {
          e.bits = bits;
          ++i_;
        }
        if (peek() == "exchange")
          ++i_;
      }
    } else if (a == "ffdhe") {
      auto& e = push(element_tag::dh);
      if (auto n = take_number({2048, 3072, 4096, 6144, 8192})) {
        e.bits = *n;
        e.label = "ffdhe" + std::to_string(*n);
      }
    } else if (a == "ecdh" || a == "ecdhe") {
      push_public_key(element_tag::ecdh);
      result_.elements.back().ephemeral = a == "ecdhe";
    } else if (a == "ecdsa") {
      push_public_key(element_tag::ecdsa);
    } else if (a == "eddsa") {
      push(element_tag::eddsa);
    } else if (a == "ed25519" || a == "ed448") {
      push(element_tag::eddsa).curve = catalog::curve_from_atom(a);
    } else if (one_of(a, {"x25519", "x448", "curve25519", "curve448"})) {
      push(element_tag::ecdh).curve = catalog::curve_from_atom(a);
    } else if (a == "dsa" || a == "dss") {
      push(element_tag::dsa).bits = take_modulus();
    } else if (a == "elgamal") {
      push(element_tag::elgamal).bits = take_modulus();
    } else if (a == "aes" || a == "camellia" || a == "aria") {
      auto& e = push(element_tag::cipher);
      e.bits = take_number({128, 192, 256});
      e.mode = take_mode();
      e.label = a == "aes" ? "AES" : a == "aria" ? "ARIA" : "CAMELLIA";
      e.value = catalog::block_cipher(e.label, e.bits, e.mode);
    } else if (one_of(a, {"3des", "des3", "desede", "tripledes"}) ||
               (a == "triple" && peek() == "des") ||
               (a == "des" && one_of(peek(), {"ede", "ede3", "cbc3", "3"}))) {
      while (one_of(peek(), {"des", "ede", "ede3", "cbc3", "3", "cbc", "ecb"}))
        ++i_;
      push_value(element_tag::cipher,
                 catalog::broken_cipher("3DES", primitive::block_cipher, 168, 112));
    } else if (a == "des") {
      take_mode();
      push_value(element_tag::cipher,
                 catalog::broken_cipher("DES", primitive::block_cipher, 56, 56));
    } else if (a == "rc4" || a == "rc2") {
      auto bits = take_number({40, 56, 64, 128});
      push_value(element_tag::cipher, catalog::broken_cipher(upper(a),
                                                             a == "rc4" ? primitive::stream_cipher
                                                                        : primitive::block_cipher,
                                                             bits, 64));
    } else if (a == "blowfish" || a == "idea") {
      take_mode();
      push_value(element_tag::cipher,
                 catalog::broken_cipher(a == "idea" ? "IDEA" : "Blowfish", primitive::block_cipher,
                                        std::nullopt, 64)); // 64-bit block (Sweet32)
    } else if (a == "null" && !result_.elements.empty()) {
      push_value(element_tag::cipher,
                 catalog::broken_cipher("NULL", primitive::block_cipher, 0, 0));
    } else if (a == "chacha20") {
      bool poly = peek() == "poly1305";
      i_ += poly ? 1 : 0;
      push_value(element_tag::cipher, catalog::chacha20(poly));
    } else if (a == "poly1305") {
      push_value(element_tag::mac, catalog::poly1305());
    } else if (a == "sha" || a == "sha2" || a == "sha3") {
      read_sha2_like(a);
    } else if (a == "shake") {
      push_value(element_tag::hash, catalog::shake(take_number({128, 256}).value_or(256)));
    } else if (a == "md5" || a == "md4" || a == "md2") {
      push_value(element_tag::hash, catalog::message_digest(a[2] - '0'));
    } else if (a == "hmac") {
      result_.hints.explicit_hmac = true;
      pending_hmac_ = true;
    } else if (a == "mlkem" || a == "kyber" || (a == "ml" && peek() == "kem")) {
      i_ += a == "ml" ? 1 : 0;
      read_ml_kem(a == "kyber");
    } else if (a == "mldsa" || a == "dilithium" || (a == "ml" && peek() == "dsa")) {
      i_ += a == "ml" ? 1 : 0;
      read_ml_dsa(a == "dilithium");
    } else if (a == "slhdsa" || (a == "slh" && peek() == "dsa")) {
      i_ += a == "slh" ? 1 : 0;
      read_slh_dsa(false);
    } else if (a == "sphincsplus" || a == "sphincs") {
      read_slh_dsa(true);
    } else if (a == "fndsa" || a == "falcon" || (a == "fn" && peek() == "dsa")) {
      i_ += a == "fn" ? 1 : 0;
      int n = take_number({512, 1024}).value_or(512);
      std::string name = (a == "falcon" ? "Falcon-" : "FN-DSA-") + std::to_string(n);
      push_value(element_tag::pq_signature,
                 catalog::post_quantum(name, "FN-DSA", primitive::signature, n == 512 ? 1 : 5));
    } else if (a == "sntrup") {
      int n = take_number({653, 761, 857, 953, 1013, 1277}).value_or(761);
      push_value(element_tag::pq_kem,
                 catalog::post_quantum("sntrup" + std::to_string(n), "NTRU-Prime",
                                       primitive::key_exchange, 1));
      result_.elements.back().label = "sntrup" + std::to_string(n);
    } else if (is_number_atom(a)) {
      attach_trailing_modulus(number_value(a)); // "RSA-PSS-SHA256-3072"
    } else if (one_of(a, {"encryption", "hellman", "group", "exchange", "draft", "psk", "anon",
                          "export", "ede", "key", "bits", "bit", "pkcs1", "simple", "robust", "cbc",
                          "gcm", "ccm", "ctr"})) {
      // sizes and filler words carry nothing on their own
    } else if (one_of(a, {"pss", "sig", "signature", "sign", "oaep", "kem", "kex", "encrypt"})) {
      note_hint(a);
    } else {
      ++result_.hints.unknown_words;
    }
  }

  const std::vector<std::string>& atoms_;
  std::size_t i_ = 0;
  bool pending_hmac_ = false;
  parsed_algorithm result_;
};

} // namespace

parsed_algorithm parse_algorithm_atoms(const std::vector<std::string>& atoms) {
  return atom_reader(atoms).read();
}

} // namespace qs::analytics
