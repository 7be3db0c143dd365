// Which groups of the exploit features a model learns from: the columns of
// `exploit_features.hpp` (and the aggregates `token_lift` adds) in named
// groups, so training can leave groups out and the rolling-origin validation
// can say what each one adds. A model trained on a set never splits on a
// column outside it, so predicting needs no mask: only training applies it.
// Written "all", "cvss,cwe_family,vendor_prior" or "all,-words,-word_prior"
// (later entries win). Rejected, catalogued and the finding's own crypto
// columns belong to every set. Pure; a set is a value, safe to share.
#pragma once

#include <bitset>
#include <string>
#include <variant>
#include <vector>

#include "actors/intel/exploit_features.hpp"

namespace qs::intel {

enum class feature_group {
  cvss,            ///< scores and severity (v3, v2, the era-independent one)
  cvss_vector,     ///< v3 and v2 vector components one-hot, NVD's v2 flags
  cpe,             ///< CPE breadth: matches, vulnerable CPEs, vendors, products, parts
  length,          ///< how many words the description has
  cwe_family,      ///< one of 25 CWE families
  cwe_id,          ///< the CWE id, hashed
  vendor,          ///< CPE vendors and the assigner, hashed one-hot
  product,         ///< CPE vendor:product, hashed one-hot
  words,           ///< description words and word pairs, hashed one-hot
  vendor_prior,    ///< training-years log-lift of the vendor, and its CVE count
  product_prior,   ///< the same for the product
  word_prior,      ///< sum, largest and smallest word log-lift
  cwe_prior,       ///< the CWE's log-lift
  exploit_history, ///< how many exploited training CVEs named the vendor, the product
};
inline constexpr std::size_t feature_group_count = 14;

class feature_set {
public:
  /// Every group: the feature set of the models before step 8.
  static feature_set all();
  /// "all", "cvss,cwe_family", "all,-words": what is wrong when it is not one.
  static std::variant<feature_set, std::string> parse(const std::string& text);

  bool has(feature_group g) const { return groups_[static_cast<std::size_t>(g)]; }
  feature_set with(feature_group g, bool on = true) const;
  /// The groups' names in enum order ("cvss", "cwe_family", ...).
  std::vector<std::string> names() const;
  /// The text `parse` reads back: "all" or the names joined by commas.
  std::string text() const;

  /// Whether a column of an (augmented) row belongs to the set.
  bool keeps(std::uint32_t index) const;
  /// The row without the columns outside the set.
  feature_row apply(const feature_row& row) const;

  bool operator==(const feature_set& o) const { return groups_ == o.groups_; }

private:
  std::bitset<feature_group_count> groups_;
};

/// A group's name ("vendor_prior"); "" for none.
std::string feature_group_name(feature_group g);

} // namespace qs::intel
