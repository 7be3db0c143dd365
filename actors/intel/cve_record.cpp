#include "actors/intel/cve_record.hpp"

namespace qs::intel {

int cve_year(const std::string& id) {
  // "CVE-YYYY-NNNN"
  if (id.size() < 9 || id.compare(0, 4, "CVE-") != 0)
    return 0;
  int year = 0;
  for (std::size_t i = 4; i < 8; ++i) {
    if (id[i] < '0' || id[i] > '9')
      return 0;
    year = year * 10 + (id[i] - '0');
  }
  return year;
}

namespace {

boost::json::value metric_json(const std::optional<cvss_metric>& m) {
  if (!m)
    return nullptr;
  boost::json::object o{{"vector", m->vector}, {"base_score", m->base_score}};
  if (m->exploitability)
    o["exploitability"] = *m->exploitability;
  if (m->impact)
    o["impact"] = *m->impact;
  if (!m->severity.empty())
    o["severity"] = m->severity;
  return o;
}

std::string text(const boost::json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

std::optional<double> number(const boost::json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  if (!v || !v->is_number())
    return std::nullopt;
  return v->to_number<double>();
}

bool flag(const boost::json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  return v && v->is_bool() && v->get_bool();
}

std::optional<cvss_metric> metric_of(const boost::json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  if (!v || !v->is_object())
    return std::nullopt;
  const auto& m = v->get_object();
  return cvss_metric{text(m, "vector"), number(m, "base_score").value_or(0),
                     number(m, "exploitability"), number(m, "impact"), text(m, "severity")};
}

std::vector<std::string> strings(const boost::json::object& o, const char* key) {
  std::vector<std::string> out;
  const auto* v = o.if_contains(key);
  if (v && v->is_array())
    for (const auto& s : v->get_array())
      if (s.is_string())
        out.emplace_back(s.get_string());
  return out;
}

} // namespace

boost::json::object to_json(const cve_record& r) {
  boost::json::array cwes(r.cwes.begin(), r.cwes.end()), cpes(r.cpes.begin(), r.cpes.end());
  const auto& f = r.v2_flags;
  return {{"id", r.id},
          {"published", r.published},
          {"last_modified", r.last_modified},
          {"assigner", r.assigner},
          {"description", r.description},
          {"rejected", r.rejected},
          {"cvss3", metric_json(r.cvss3)},
          {"cvss2", metric_json(r.cvss2)},
          {"cvss2_flags",
           {{"ac_insuf_info", f.ac_insuf_info},
            {"obtain_all_privilege", f.obtain_all_privilege},
            {"obtain_user_privilege", f.obtain_user_privilege},
            {"obtain_other_privilege", f.obtain_other_privilege},
            {"user_interaction_required", f.user_interaction_required}}},
          {"cwes", std::move(cwes)},
          {"cpes", std::move(cpes)},
          {"cpe_matches", r.cpe_matches}};
}

cve_record cve_from_json(const boost::json::object& o) {
  cve_record r;
  r.id = text(o, "id");
  r.published = text(o, "published");
  r.last_modified = text(o, "last_modified");
  r.assigner = text(o, "assigner");
  r.description = text(o, "description");
  r.rejected = flag(o, "rejected");
  r.cvss3 = metric_of(o, "cvss3");
  r.cvss2 = metric_of(o, "cvss2");
  if (const auto* f = o.if_contains("cvss2_flags"); f && f->is_object()) {
    const auto& fo = f->get_object();
    r.v2_flags = {flag(fo, "ac_insuf_info"), flag(fo, "obtain_all_privilege"),
                  flag(fo, "obtain_user_privilege"), flag(fo, "obtain_other_privilege"),
                  flag(fo, "user_interaction_required")};
  }
  r.cwes = strings(o, "cwes");
  r.cpes = strings(o, "cpes");
  r.cpe_matches = static_cast<std::size_t>(number(o, "cpe_matches").value_or(0));
  return r;
}

} // namespace qs::intel
