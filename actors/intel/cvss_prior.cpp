#include "actors/intel/cvss_prior.hpp"
#include "actors/intel/feature_layout.hpp"

namespace qs::intel {

double cvss_prior::score(const feature_row& row) {
  // Both columns are in the named block, at the start of the sorted row.
  double severity = -1;
  for (std::size_t i = 0; i < row.index.size() && row.index[i] <= layout::cvss_best; ++i) {
    if (row.index[i] == layout::cvss_best)
      return row.value[i];
    if (row.index[i] == layout::severity_level)
      severity = row.value[i];
  }
  // A severity without a score: the middle of its CVSS band (0 none .. 4 critical).
  static constexpr double typical[] = {0, 2.5, 5.5, 8, 9.5};
  if (severity >= 0 && severity <= 4)
    return typical[static_cast<int>(severity)];
  return 0;
}

boost::json::object cvss_prior::to_json() const {
  return {{"slope", slope}, {"centre", centre}};
}

cvss_prior cvss_prior::from_json(const boost::json::value* v) {
  cvss_prior out;
  const auto* o = v ? v->if_object() : nullptr;
  if (!o)
    return out;
  auto number = [&](const char* key) {
    const auto* x = o->if_contains(key);
    return x && x->is_number() ? x->to_number<double>() : 0.0;
  };
  out.slope = number("slope");
  out.centre = number("centre");
  return out;
}

} // namespace qs::intel
