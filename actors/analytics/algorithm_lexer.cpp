#include "actors/analytics/algorithm_lexer.hpp"

#include <cctype>

namespace qs::analytics {

namespace {

// Words split off inside a run; longest match first. Words ending in a digit are
// never followed directly by another digit ("sha3" is not split off "sha384").
constexpr std::string_view vocabulary[] = {
    "with",
    "rsassa",
    "rsaes",
    "rsa",
    "encryption",
    "pss",
    "oaep",
    "pkcs1",
    "ffdhe",
    "ffdh",
    "diffie",
    "hellman",
    "group",
    "exchange",
    "ecdhe",
    "ecdh",
    "ecdsa",
    "eddsa",
    "dhe",
    "edh",
    "dh",
    "dsa",
    "dss",
    "elgamal",
    "ed25519",
    "ed448",
    "x25519",
    "x448",
    "curve25519",
    "curve448",
    "secp192r1",
    "secp224r1",
    "secp256r1",
    "secp384r1",
    "secp521r1",
    "secp256k1",
    "prime192v1",
    "prime256v1",
    "brainpoolp256r1",
    "brainpoolp384r1",
    "brainpoolp512r1",
    "nistp",
    "aes",
    "camellia",
    "aria",
    "gcm",
    "ccm",
    "cbc3",
    "cbc",
    "ctr",
    "ecb",
    "cfb",
    "ofb",
    "xts",
    "ocb",
    "siv",
    "3des",
    "des3",
    "desede",
    "tripledes",
    "des",
    "ede3",
    "ede",
    "rc4",
    "rc2",
    "blowfish",
    "idea",
    "chacha20",
    "poly1305",
    "shake",
    "sha2",
    "sha3",
    "sha",
    "md5",
    "md4",
    "md2",
    "hmac",
    "mlkem",
    "mldsa",
    "slhdsa",
    "fndsa",
    "kyber",
    "dilithium",
    "falcon",
    "sphincsplus",
    "sntrup",
    "tls",
    "ssl",
    "ssh",
    "draft",
    "psk",
    "anon",
    "null",
    "export",
    "simple",
    "robust",
};

bool is_word_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0;
}
bool is_digit(char c) {
  return std::isdigit(static_cast<unsigned char>(c)) != 0;
}

bool starts_with(std::string_view text, std::size_t at, std::string_view word) {
  return text.size() - at >= word.size() && text.compare(at, word.size(), word) == 0;
}

// A vocabulary word may end where a digit ("aes|128"), the end, or another
// vocabulary word follows; a digit-final word may not run into another digit.
bool may_end_at(std::string_view run, std::size_t end, std::string_view word, int depth);

std::size_t vocabulary_match(std::string_view run, std::size_t at, int depth) {
  std::size_t best = 0;
  for (auto word : vocabulary)
    if (word.size() > best && starts_with(run, at, word) &&
        may_end_at(run, at + word.size(), word, depth))
      best = word.size();
  return best;
}

bool may_end_at(std::string_view run, std::size_t end, std::string_view word, int depth) {
  if (end == run.size())
    return true;
  if (is_digit(run[end]))
    return !is_digit(word.back());
  if (is_digit(word.back()))
    return true;
  return depth < 4 && vocabulary_match(run, end, depth + 1) > 0;
}

void lex_run(std::string_view run, std::vector<std::string>& atoms) {
  std::size_t i = 0;
  while (i < run.size()) {
    std::size_t n = vocabulary_match(run, i, 0);
    if (n == 0) {
      bool digits = is_digit(run[i]);
      n = 1;
      while (i + n < run.size() && is_digit(run[i + n]) == digits)
        ++n;
    }
    atoms.emplace_back(run.substr(i, n));
    i += n;
  }
}

} // namespace

std::vector<std::string> lex_algorithm_name(std::string_view name) {
  std::string lower;
  lower.reserve(name.size());
  for (char c : name) {
    if (c == '@')
      break;
    lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  for (auto at = lower.find("sphincs+"); at != std::string::npos; at = lower.find("sphincs+"))
    lower.replace(at, 8, "sphincsplus");

  std::vector<std::string> atoms;
  std::size_t i = 0;
  while (i < lower.size()) {
    if (!is_word_char(lower[i])) {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < lower.size() && is_word_char(lower[end]))
      ++end;
    lex_run(std::string_view(lower).substr(i, end - i), atoms);
    i = end;
  }
  return atoms;
}

bool is_number_atom(const std::string& atom) {
  if (atom.empty())
    return false;
  for (char c : atom)
    if (!is_digit(c))
      return false;
  return true;
}

int number_value(const std::string& atom) {
  if (!is_number_atom(atom) || atom.size() > 9)
    return -1;
  int v = 0;
  for (char c : atom)
    v = v * 10 + (c - '0');
  return v;
}

} // namespace qs::analytics
