#include "actors/analytics/algorithm.hpp"

#include <algorithm>
#include <cctype>
#include <unordered_map>
#include <utility>

#include "actors/analytics/algorithm_catalog.hpp"
#include "actors/analytics/algorithm_elements.hpp"
#include "actors/analytics/algorithm_lexer.hpp"

namespace qs::analytics {

namespace {

std::string trim(std::string_view s) {
  auto blank = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  while (!s.empty() && blank(s.front()))
    s.remove_prefix(1);
  while (!s.empty() && blank(s.back()))
    s.remove_suffix(1);
  return std::string(s);
}

std::string upper(std::string s) {
  for (auto& c : s)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

void set_input(algorithm_assessment& a, const std::string& input) {
  a.input = input;
  for (auto& c : a.components)
    if (c.input.empty())
      c.input = c.name;
}

// Replacements of the parts that need replacing, joined: "ML-KEM-768, AES-256-GCM"
// (a MAC or PRF merely weakened by Grover, such as HMAC-SHA-1, is left alone).
std::string joined_replacements(const std::vector<algorithm_assessment>& parts) {
  std::vector<std::string> seen;
  std::string out;
  for (const auto& p : parts) {
    bool minor = p.status == quantum_status::weakened_by_grover &&
                 (p.kind == primitive::mac || p.kind == primitive::hash);
    if (minor || p.replacement.empty() ||
        std::find(seen.begin(), seen.end(), p.replacement) != seen.end())
      continue;
    seen.push_back(p.replacement);
    out += (out.empty() ? "" : ", ") + p.replacement;
  }
  return out;
}

std::string hybrid_classical_label(const algorithm_element& e) {
  if (!e.curve)
    return e.tag == element_tag::dh ? "FFDHE" : "ECDHE";
  if (e.curve->name == "Curve25519" || e.curve->name == "Curve448")
    return "X" + e.curve->label;
  if (e.curve->name.rfind("P-", 0) == 0)
    return "SecP" + e.curve->label.substr(1) + "r1";
  return e.curve->label;
}

std::string lower(std::string s) {
  for (auto& c : s)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// "X25519MLKEM768" (TLS group order: classical first) or
// "mlkem768x25519-sha256" (SSH order: post-quantum first, then the hash).
algorithm_assessment compose_hybrid(const parsed_algorithm& p) {
  std::vector<algorithm_assessment> parts;
  std::string classical, pq, hash, replacement;
  bool pq_first = false;
  for (const auto& e : p.elements) {
    if (e.tag == element_tag::pq_kem) {
      pq_first = pq_first || classical.empty();
      pq = e.label;
      parts.push_back(e.value);
      if (e.label.rfind("Kyber", 0) == 0)
        replacement = hybrid_classical_label(p.elements.front()) + "MLKEM" + e.label.substr(5);
    } else if (is_key_agreement(e) && classical.empty()) {
      classical = hybrid_classical_label(e);
      parts.push_back(build_public_key(e, primitive::key_exchange));
    } else if (e.tag == element_tag::hash) {
      hash = e.value.name;
      parts.push_back(catalog::prf_hash(e.value));
    } else {
      parts.push_back(is_public_key(e) ? build_public_key(e, primitive::unknown) : e.value);
    }
  }
  std::string name;
  if (pq_first) {
    hash.erase(std::remove(hash.begin(), hash.end(), '-'), hash.end());
    name = lower(pq + classical) + (hash.empty() ? "" : "-" + lower(hash));
  } else {
    name = classical + pq + (pq.rfind("Kyber", 0) == 0 ? "Draft00" : "");
  }
  if (!replacement.empty() && pq_first)
    replacement.clear();
  return catalog::hybrid(name, std::move(parts), replacement);
}

// A TLS or OpenSSL cipher suite: key exchange, authentication, cipher, MAC/PRF.
algorithm_assessment compose_suite(const parsed_algorithm& p, const std::string& input) {
  std::vector<algorithm_assessment> parts;
  int public_keys = 0;
  for (const auto& e : p.elements)
    public_keys += is_public_key(e) ? 1 : 0;
  if (public_keys == 0 && !p.hints.tls && !p.hints.explicit_hmac) {
    algorithm_element rsa{element_tag::rsa, std::nullopt, std::nullopt, false, "", "", {}};
    parts.push_back(build_public_key(rsa, primitive::public_key_encryption)); // "AES128-SHA"
  }
  bool first_public_key = true;
  for (const auto& e : p.elements) {
    if (is_public_key(e)) {
      primitive role = primitive::signature;
      if (is_key_agreement(e) || (first_public_key && public_keys == 1))
        role = primitive::key_exchange;
      parts.push_back(build_public_key(e, role));
      first_public_key = false;
    } else if (e.tag == element_tag::cipher && !e.label.empty() && e.mode.empty()) {
      parts.push_back(catalog::block_cipher(e.label, e.bits, "CBC"));
    } else if (e.tag == element_tag::hash) {
      parts.push_back(catalog::hmac(e.value));
    } else {
      parts.push_back(e.value);
    }
  }
  std::string replacement = joined_replacements(parts);
  return catalog::combination(upper(input), "TLS-cipher-suite", primitive::cipher_suite,
                              std::move(parts), replacement);
}

// One public-key algorithm with a hash: a signature ("sha256WithRSAEncryption",
// "ecdsa-sha2-nistp256") or, for key agreement, an SSH key exchange
// ("curve25519-sha256", "diffie-hellman-group14-sha1") whose hash is a PRF.
algorithm_assessment compose_with_hash(const algorithm_element& key,
                                       const algorithm_assessment& hash) {
  bool agreement = is_key_agreement(key);
  auto main = build_public_key(key, agreement ? primitive::key_exchange : primitive::signature);
  auto second = agreement ? catalog::prf_hash(hash) : hash;
  std::string name = main.name + "-" + hash.name;
  std::string replacement = !main.replacement.empty() ? main.replacement : second.replacement;
  auto a = catalog::combination(name, main.family, main.kind, {main, second}, replacement);
  a.key_bits = main.key_bits;
  a.curve = main.curve;
  return a;
}

algorithm_assessment compose_single(const parsed_algorithm& p) {
  const auto& e = p.elements.front();
  if (!is_public_key(e))
    return e.value;
  if (p.hints.ssh && (e.tag == element_tag::rsa || e.tag == element_tag::dsa)) {
    auto key = e; // "ssh-rsa" / "ssh-dss" sign with SHA-1; DSA keys in SSH are 1024-bit
    if (key.tag == element_tag::dsa && !key.bits)
      key.bits = 1024;
    return compose_with_hash(key, catalog::sha2_family(1));
  }
  primitive role = primitive::unknown;
  if (p.hints.signature)
    role = primitive::signature;
  else if (p.hints.encryption)
    role = primitive::public_key_encryption;
  return build_public_key(e, role);
}

algorithm_assessment compose(const parsed_algorithm& p, const std::string& input) {
  const auto& elements = p.elements;
  if (elements.empty())
    return catalog::unknown(input);
  auto has = [&](auto pred) { return std::any_of(elements.begin(), elements.end(), pred); };
  auto count = [&](auto pred) { return std::count_if(elements.begin(), elements.end(), pred); };
  auto tag_is = [](element_tag t) {
    return [t](const algorithm_element& e) { return e.tag == t; };
  };

  if (has(tag_is(element_tag::pq_kem)) && has([](const auto& e) { return is_key_agreement(e); }))
    return compose_hybrid(p);
  auto public_keys = count([](const auto& e) { return is_public_key(e); });
  bool cipher = has(tag_is(element_tag::cipher));
  if (elements.size() > 1 && (cipher || p.hints.tls || public_keys >= 2))
    return compose_suite(p, input);
  if (elements.size() == 1)
    return compose_single(p);
  auto hashes = count(tag_is(element_tag::hash));
  if (public_keys == 1 && hashes == 1 && elements.size() == 2) {
    const auto& key = is_public_key(elements[0]) ? elements[0] : elements[1];
    const auto& hash = elements[0].tag == element_tag::hash ? elements[0] : elements[1];
    return compose_with_hash(key, hash.value);
  }
  std::vector<algorithm_assessment> parts; // anything else: judged by its worst part
  std::string name;
  for (const auto& e : elements) {
    parts.push_back(is_public_key(e) ? build_public_key(e, primitive::unknown) : e.value);
    name += (name.empty() ? "" : "-") + parts.back().name;
  }
  auto main = parts.front();
  auto a = catalog::combination(name, main.family, main.kind, std::move(parts), main.replacement);
  a.key_bits = main.key_bits;
  a.curve = main.curve;
  return a;
}

} // namespace

const char* to_string(quantum_status s) {
  switch (s) {
  case quantum_status::broken_by_shor:
    return "broken_by_shor";
  case quantum_status::weakened_by_grover:
    return "weakened_by_grover";
  case quantum_status::post_quantum:
    return "post_quantum";
  case quantum_status::hybrid:
    return "hybrid";
  case quantum_status::classically_broken:
    return "classically_broken";
  case quantum_status::not_affected:
    return "not_affected";
  case quantum_status::unknown:
    return "unknown";
  }
  return "unknown";
}

const char* to_string(primitive p) {
  switch (p) {
  case primitive::key_exchange:
    return "key_exchange";
  case primitive::signature:
    return "signature";
  case primitive::public_key_encryption:
    return "public_key_encryption";
  case primitive::block_cipher:
    return "block_cipher";
  case primitive::stream_cipher:
    return "stream_cipher";
  case primitive::aead:
    return "aead";
  case primitive::hash:
    return "hash";
  case primitive::mac:
    return "mac";
  case primitive::cipher_suite:
    return "cipher_suite";
  case primitive::unknown:
    return "unknown";
  }
  return "unknown";
}

bool is_quantum_vulnerable(quantum_status s) {
  return s == quantum_status::broken_by_shor || s == quantum_status::classically_broken;
}

algorithm_assessment assess_algorithm(std::string_view name) {
  std::string input = trim(name);
  auto parsed = parse_algorithm_atoms(lex_algorithm_name(input));
  auto a = compose(parsed, input);
  set_input(a, std::string(name));
  return a;
}

algorithm_ref assess_algorithm_cached(std::string_view name) {
  constexpr std::size_t max_cached = 4096;
  thread_local std::unordered_map<std::string, algorithm_ref> cache;
  std::string key(name);
  if (auto it = cache.find(key); it != cache.end())
    return it->second;
  if (cache.size() >= max_cached)
    cache.clear();
  auto assessed = std::make_shared<const algorithm_assessment>(assess_algorithm(name));
  cache.emplace(std::move(key), assessed);
  return assessed;
}

} // namespace qs::analytics
