// Where each exploit feature lives in a row (schema "qs-exploit-features-1"):
// the named numbers of [0, 128) one by one, then the hashed blocks. Shared by
// the features (exploit_features.cpp), the token lifts that add aggregates in
// the named block (token_lift.cpp) and the feature groups (feature_groups.cpp).
// A column's meaning never changes within a schema: a model file names its
// schema and is refused by a build that reads another.
#pragma once

#include <cstdint>

namespace qs::intel::layout {

// Named numbers, [0, 128).
enum dense : std::uint32_t {
  has_cvss3 = 0,
  cvss3_base,
  cvss3_exploitability,
  cvss3_impact,
  has_cvss2,
  cvss2_base,
  cvss2_exploitability,
  cvss2_impact,
  severity_level,
  cvss_best,
  cpe_matches_log,
  vulnerable_cpes_log,
  vendors,
  products,
  part_application,
  part_os,
  part_hardware,
  description_words_log,
  v2_ac_insuf_info,
  v2_obtain_all,
  v2_obtain_user,
  v2_obtain_other,
  v2_user_interaction,
  rejected,
  catalogued,
  cwe_count,
  crypto_broken_by_shor,
  crypto_weakened_by_grover,
  crypto_classically_broken,
  crypto_post_quantum,
  crypto_hybrid,
  crypto_not_affected,
  crypto_key_bits,
  crypto_finding,
  quantum_finding,
  finding_confidence,
  v3_components = 40, // 22 slots, to 62
  v2_components = 64, // 18 slots, to 82
  // Token-lift aggregates (token_lift.cpp), from the training labels.
  lift_vendor_max = 100,
  lift_product_max,
  lift_word_sum,
  lift_word_max,
  lift_word_min,
  lift_cwe_max,
  seen_vendor,
  seen_product,
  exploited_vendor,  // log(1 + exploited training CVEs naming the vendor)
  exploited_product, // the same for the product
  lift_end,          // 110
};

inline constexpr std::uint32_t dense_end = 128;
inline constexpr std::uint32_t cwe_family_base = 128, cwe_family_slots = 32;
inline constexpr std::uint32_t cwe_hash_base = 160, cwe_hash_slots = 512;
inline constexpr std::uint32_t vendor_base = 672, vendor_slots = 2048;
inline constexpr std::uint32_t product_base = 2720, product_slots = 4096;
inline constexpr std::uint32_t word_base = 6816, word_slots = 32768;
inline constexpr std::uint32_t end = word_base + word_slots; // 39584

static_assert(cwe_family_base + cwe_family_slots == cwe_hash_base);
static_assert(cwe_hash_base + cwe_hash_slots == vendor_base);
static_assert(vendor_base + vendor_slots == product_base);
static_assert(product_base + product_slots == word_base);

} // namespace qs::intel::layout
