// Splits an algorithm name into lower-case words ("atoms") for the parser in
// `algorithm_parser.hpp`: separators split ('-', '_', ' ', '/', '.', ...), and
// within a run of letters and digits known words are split off
// ("sha256WithRSAEncryption" -> sha 256 with rsa encryption,
// "X25519MLKEM768" -> x25519 mlkem 768). A known word is only split off where
// what follows is a digit, the end, or another known word, so "description" never
// yields "des". Anything after '@' ("@openssh.com") is dropped. Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace qs::analytics {

/// The atoms of `name`; digit runs are their own atoms ("aes128" -> aes 128).
std::vector<std::string> lex_algorithm_name(std::string_view name);

/// True when `atom` is all digits.
bool is_number_atom(const std::string& atom);

/// The value of a number atom (at most 9 digits); -1 when it is not one.
int number_value(const std::string& atom);

} // namespace qs::analytics
