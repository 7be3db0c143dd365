// Small text helpers the test clients share.
#pragma once

#include <string>
#include <string_view>

namespace qs::test {

inline std::string lower(std::string text) {
  for (char& c : text)
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
  return text;
}

/// Without leading and trailing spaces and tabs.
inline std::string trim(std::string_view text) {
  auto begin = text.find_first_not_of(" \t");
  if (begin == std::string_view::npos)
    return {};
  return std::string(text.substr(begin, text.find_last_not_of(" \t") - begin + 1));
}

} // namespace qs::test
