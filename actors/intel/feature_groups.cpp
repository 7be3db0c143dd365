#include "actors/intel/feature_groups.hpp"
#include "actors/intel/feature_layout.hpp"

#include <array>
#include <optional>

namespace qs::intel {

namespace {

const std::array<const char*, feature_group_count> group_names = {
    "cvss",          "cvss_vector", "cpe",       "length",         "cwe_family",
    "cwe_id",        "vendor",      "product",   "words",          "vendor_prior",
    "product_prior", "word_prior",  "cwe_prior", "exploit_history"};

std::optional<feature_group> group_named(const std::string& name) {
  for (std::size_t g = 0; g < group_names.size(); ++g)
    if (name == group_names[g])
      return static_cast<feature_group>(g);
  return std::nullopt;
}

/// The group a column belongs to; nothing for the columns every set keeps.
std::optional<feature_group> group_of(std::uint32_t i) {
  using namespace layout;
  using g = feature_group;
  if (i >= word_base)
    return g::words;
  if (i >= product_base)
    return g::product;
  if (i >= vendor_base)
    return g::vendor;
  if (i >= cwe_hash_base)
    return g::cwe_id;
  if (i >= cwe_family_base)
    return g::cwe_family;
  if (i <= cvss_best)
    return g::cvss;
  if (i <= part_hardware)
    return g::cpe;
  if (i == description_words_log)
    return g::length;
  if ((i >= v2_ac_insuf_info && i <= v2_user_interaction) ||
      (i >= v3_components && i < v2_components + 18))
    return g::cvss_vector;
  switch (i) {
  case lift_vendor_max:
  case seen_vendor:
    return g::vendor_prior;
  case lift_product_max:
  case seen_product:
    return g::product_prior;
  case lift_word_sum:
  case lift_word_max:
  case lift_word_min:
    return g::word_prior;
  case lift_cwe_max:
    return g::cwe_prior;
  case exploited_vendor:
  case exploited_product:
    return g::exploit_history;
  default:
    return std::nullopt; // rejected, catalogued, CWE count, a finding's crypto
  }
}

} // namespace

std::string feature_group_name(feature_group g) {
  const auto at = static_cast<std::size_t>(g);
  return at < group_names.size() ? group_names[at] : "";
}

feature_set feature_set::all() {
  feature_set s;
  s.groups_.set();
  return s;
}

std::variant<feature_set, std::string> feature_set::parse(const std::string& text) {
  feature_set s;
  std::size_t from = 0;
  bool any = false;
  while (from <= text.size()) {
    auto comma = text.find(',', from);
    if (comma == std::string::npos)
      comma = text.size();
    std::string item = text.substr(from, comma - from);
    from = comma + 1;
    if (item.empty())
      continue;
    const bool drop = item[0] == '-';
    if (drop)
      item.erase(0, 1);
    any = true;
    if (item == "all") {
      drop ? s.groups_.reset() : s.groups_.set();
      continue;
    }
    const auto g = group_named(item);
    if (!g)
      return "unknown feature group \"" + item + "\" (groups: all, " + [] {
        std::string list;
        for (const char* n : group_names)
          list += list.empty() ? n : std::string(", ") + n;
        return list;
      }() + ")";
    s.groups_.set(static_cast<std::size_t>(*g), !drop);
  }
  if (!any)
    return std::string("no feature groups given");
  return s;
}

feature_set feature_set::with(feature_group g, bool on) const {
  feature_set s = *this;
  s.groups_.set(static_cast<std::size_t>(g), on);
  return s;
}

std::vector<std::string> feature_set::names() const {
  std::vector<std::string> out;
  for (std::size_t g = 0; g < group_names.size(); ++g)
    if (groups_[g])
      out.emplace_back(group_names[g]);
  return out;
}

std::string feature_set::text() const {
  if (groups_.all())
    return "all";
  std::string out;
  for (const auto& n : names())
    out += (out.empty() ? "" : ",") + n;
  return out;
}

bool feature_set::keeps(std::uint32_t index) const {
  const auto g = group_of(index);
  return !g || has(*g);
}

feature_row feature_set::apply(const feature_row& row) const {
  if (groups_.all())
    return row;
  feature_row out;
  out.index.reserve(row.index.size());
  out.value.reserve(row.value.size());
  for (std::size_t i = 0; i < row.index.size(); ++i)
    if (keeps(row.index[i])) {
      out.index.push_back(row.index[i]);
      out.value.push_back(row.value[i]);
    }
  return out;
}

} // namespace qs::intel
