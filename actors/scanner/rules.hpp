// The kinds of finding the scanner reports, with stable ids and help text:
// SARIF's rules, and the documentation's list. Pure data.
#pragma once

#include <string_view>
#include <vector>

namespace qs::scanner {

struct rule {
  std::string_view id;    ///< "QS-KEX-QUANTUM-VULNERABLE"
  std::string_view name;  ///< "QuantumVulnerableKeyExchange"
  std::string_view title; ///< one line
  std::string_view help;  ///< what to do
};

const std::vector<rule>& rules();
const rule* find_rule(std::string_view id);

} // namespace qs::scanner
