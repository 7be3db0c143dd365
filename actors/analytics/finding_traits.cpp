#include "actors/analytics/finding_traits.hpp"

#include <algorithm>
#include <cctype>
#include <initializer_list>

namespace qs::analytics {

namespace {

bool any_word_in(const std::vector<std::string>& words,
                 std::initializer_list<std::string_view> set) {
  for (const auto& w : words)
    if (std::find(set.begin(), set.end(), w) != set.end())
      return true;
  return false;
}

std::vector<std::string> type_and_title_words(const protocol::vulnerability& v) {
  auto words = label_words(v.type);
  if (words.empty())
    words = label_words(v.title);
  return words;
}

std::optional<int> trailing_number(const std::string& id) {
  int value = 0;
  bool any = false;
  for (char c : id) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      if (value > 100000)
        return std::nullopt;
      value = value * 10 + (c - '0');
      any = true;
    } else if (any) {
      break;
    }
  }
  return any ? std::optional<int>(value) : std::nullopt;
}

} // namespace

std::vector<std::string> label_words(std::string_view label) {
  std::vector<std::string> words;
  std::string current;
  for (char c : label) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      current += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (!current.empty()) {
      words.push_back(std::move(current));
      current.clear();
    }
  }
  if (!current.empty())
    words.push_back(std::move(current));
  return words;
}

bool is_quantum_finding_type(const protocol::vulnerability& v) {
  return any_word_in(type_and_title_words(v), {"quantum", "pqc", "shor", "harvest"});
}

bool is_crypto_finding_type(const protocol::vulnerability& v) {
  return is_quantum_finding_type(v) ||
         any_word_in(type_and_title_words(v),
                     {"crypto", "cryptography", "cryptographic", "cipher", "ciphers", "encryption",
                      "hash", "hashing", "key", "keys", "tls", "ssl", "certificate", "cert",
                      "signature", "algorithm", "rsa", "ecc", "prng"});
}

std::optional<int> cwe_number(const protocol::vulnerability& v) {
  return v.cwe_id.empty() ? std::nullopt : trailing_number(v.cwe_id);
}

std::optional<int> swc_number(const protocol::vulnerability& v) {
  return v.swc_id.empty() ? std::nullopt : trailing_number(v.swc_id);
}

double severity_weight(protocol::severity s) {
  switch (s) {
  case protocol::severity::info:
    return 0.1;
  case protocol::severity::low:
    return 0.3;
  case protocol::severity::medium:
    return 0.5;
  case protocol::severity::high:
    return 0.75;
  case protocol::severity::critical:
    return 0.9;
  }
  return 0.5;
}

} // namespace qs::analytics
