#include "actors/scanner/tls/offers.hpp"

#include <algorithm>
#include <map>

namespace qs::scanner::tls {

namespace {

// The order groups are offered in: post-quantum and hybrids first, then the common curves.
int rank(const named_group& g) {
  static const std::vector<std::string_view> first = {
      "X25519MLKEM768", "SecP256r1MLKEM768", "SecP384r1MLKEM1024", "X25519Kyber768Draft00",
      "MLKEM768",       "MLKEM1024",         "MLKEM512",           "x25519",
      "secp256r1",      "secp384r1",         "secp521r1",          "x448"};
  auto it = std::find(first.begin(), first.end(), g.name);
  return it == first.end() ? 100 + static_cast<int>(g.kind) : static_cast<int>(it - first.begin());
}

} // namespace

codes suites_where(const std::function<bool(const cipher_suite&)>& keep) {
  codes out;
  for (const auto& s : cipher_suites())
    if (keep(s))
      out.push_back(s.code);
  return out;
}

codes suites_for(std::uint16_t version) {
  return suites_where([version](const cipher_suite& s) {
    return version == tls13 ? s.tls13 : !s.tls13 && (version >= tls12 || !s.tls12_only);
  });
}

/// TLS 1.2's curves (every one of the registry's), or TLS 1.3's groups.
codes groups_for(bool tls12_curves) {
  std::vector<const named_group*> picked;
  for (const auto& g : named_groups()) {
    const bool legacy = g.name.rfind("sect", 0) == 0 || g.name == "secp192r1" ||
                        g.name == "secp224r1" || g.name == "secp256k1" ||
                        g.name.rfind("brainpool", 0) == 0;
    if (tls12_curves ? g.tls12 : !legacy)
      picked.push_back(&g);
  }
  std::stable_sort(picked.begin(), picked.end(),
                   [](const named_group* a, const named_group* b) { return rank(*a) < rank(*b); });
  codes out;
  for (const auto* g : picked)
    out.push_back(g->code);
  return out;
}

codes all_schemes() {
  codes c;
  for (const auto& s : signature_schemes())
    c.push_back(s.code);
  return c;
}

std::string suite_name(std::uint16_t code) {
  const auto* s = find_suite(code);
  return s ? std::string(s->name) : unknown_code(code);
}

std::string group_name(std::uint16_t code) {
  const auto* g = find_group(code);
  return g ? std::string(g->name) : unknown_code(code);
}

std::optional<std::uint16_t> group_of_curve(const std::string& curve) {
  static const std::map<std::string, std::uint16_t> codes_by_curve = {
      {"P-256", 0x0017},           {"P-384", 0x0018},           {"P-521", 0x0019},
      {"secp256k1", 0x0016},       {"P-224", 0x0015},           {"P-192", 0x0013},
      {"brainpoolP256r1", 0x001A}, {"brainpoolP384r1", 0x001B}, {"brainpoolP512r1", 0x001C}};
  auto it = codes_by_curve.find(curve);
  if (it == codes_by_curve.end())
    return std::nullopt;
  return it->second;
}

} // namespace qs::scanner::tls
