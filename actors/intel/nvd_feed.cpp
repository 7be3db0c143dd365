#include "actors/intel/nvd_feed.hpp"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

namespace qs::intel {

namespace json = boost::json;

namespace {

const json::value* member(const json::value* v, std::string_view key) {
  if (!v || !v->is_object())
    return nullptr;
  return v->get_object().if_contains(key);
}

template<class... Keys> const json::value* path(const json::value* v, Keys... keys) {
  ((v = member(v, keys)), ...);
  return v;
}

std::string text(const json::value* v) {
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

std::optional<double> number(const json::value* v) {
  if (!v || !v->is_number())
    return std::nullopt;
  return v->to_number<double>();
}

bool flag(const json::value* v) {
  return v && v->is_bool() && v->get_bool();
}

const json::array* array(const json::value* v) {
  return v && v->is_array() ? &v->get_array() : nullptr;
}

/// The English entry of a [{"lang", "value"}] list, else the first.
std::string english(const json::value* list) {
  const auto* a = array(list);
  if (!a || a->empty())
    return {};
  for (const auto& d : *a)
    if (text(member(&d, "lang")) == "en")
      return text(member(&d, "value"));
  return text(member(&(*a)[0], "value"));
}

void add_cwe(cve_record& r, std::string cwe) {
  if (!cwe.empty() && std::find(r.cwes.begin(), r.cwes.end(), cwe) == r.cwes.end())
    r.cwes.push_back(std::move(cwe));
}

std::optional<cvss_metric> metric(const json::value* data, const json::value* outer,
                                  std::string severity) {
  if (!data || !data->is_object())
    return std::nullopt;
  cvss_metric m;
  m.vector = text(member(data, "vectorString"));
  auto base = number(member(data, "baseScore"));
  if (m.vector.empty() && !base)
    return std::nullopt;
  m.base_score = base.value_or(0);
  m.exploitability = number(member(outer, "exploitabilityScore"));
  m.impact = number(member(outer, "impactScore"));
  m.severity = severity.empty() ? text(member(data, "baseSeverity")) : std::move(severity);
  return m;
}

cvss2_flags v2_flags_of(const json::value* outer) {
  cvss2_flags f;
  f.ac_insuf_info = flag(member(outer, "acInsufInfo"));
  f.obtain_all_privilege = flag(member(outer, "obtainAllPrivilege"));
  f.obtain_user_privilege = flag(member(outer, "obtainUserPrivilege"));
  f.obtain_other_privilege = flag(member(outer, "obtainOtherPrivilege"));
  f.user_interaction_required = flag(member(outer, "userInteractionRequired"));
  return f;
}

// ---- NVD JSON 1.1 ----

void walk_nodes_11(const json::value* nodes, cve_record& r) {
  const auto* list = array(nodes);
  if (!list)
    return;
  for (const auto& node : *list) {
    if (const auto* matches = array(member(&node, "cpe_match")))
      for (const auto& m : *matches) {
        ++r.cpe_matches;
        auto uri = text(member(&m, "cpe23Uri"));
        if (flag(member(&m, "vulnerable")) && !uri.empty())
          r.cpes.push_back(std::move(uri));
      }
    walk_nodes_11(member(&node, "children"), r);
  }
}

cve_record record_11(const json::value& item) {
  cve_record r;
  const auto* cve = member(&item, "cve");
  r.id = text(path(cve, "CVE_data_meta", "ID"));
  r.assigner = text(path(cve, "CVE_data_meta", "ASSIGNER"));
  r.description = english(path(cve, "description", "description_data"));
  r.rejected = r.description.rfind("** REJECT **", 0) == 0;
  r.published = text(member(&item, "publishedDate"));
  r.last_modified = text(member(&item, "lastModifiedDate"));
  if (const auto* types = array(path(cve, "problemtype", "problemtype_data")))
    for (const auto& t : *types)
      if (const auto* ds = array(member(&t, "description")))
        for (const auto& d : *ds)
          add_cwe(r, text(member(&d, "value")));
  const auto* impact = member(&item, "impact");
  const auto* v3 = member(impact, "baseMetricV3");
  r.cvss3 = metric(member(v3, "cvssV3"), v3, {});
  const auto* v2 = member(impact, "baseMetricV2");
  r.cvss2 = metric(member(v2, "cvssV2"), v2, text(member(v2, "severity")));
  r.v2_flags = v2_flags_of(v2);
  walk_nodes_11(path(&item, "configurations", "nodes"), r);
  return r;
}

// ---- NVD CVE API 2.0 ----

/// The "Primary" (NVD's own) entry of a metric list, else the first.
const json::value* primary(const json::value* list) {
  const auto* a = array(list);
  if (!a || a->empty())
    return nullptr;
  for (const auto& m : *a)
    if (text(member(&m, "type")) == "Primary")
      return &m;
  return &(*a)[0];
}

cve_record record_20(const json::value& cve) {
  cve_record r;
  r.id = text(member(&cve, "id"));
  r.assigner = text(member(&cve, "sourceIdentifier"));
  r.description = english(member(&cve, "descriptions"));
  r.published = text(member(&cve, "published"));
  r.last_modified = text(member(&cve, "lastModified"));
  r.rejected =
      text(member(&cve, "vulnStatus")) == "Rejected" || r.description.rfind("** REJECT **", 0) == 0;
  const auto* metrics = member(&cve, "metrics");
  for (const char* key : {"cvssMetricV31", "cvssMetricV30"})
    if (!r.cvss3)
      if (const auto* m = primary(member(metrics, key)))
        r.cvss3 = metric(member(m, "cvssData"), m, {});
  if (const auto* m = primary(member(metrics, "cvssMetricV2"))) {
    r.cvss2 = metric(member(m, "cvssData"), m, text(member(m, "baseSeverity")));
    r.v2_flags = v2_flags_of(m);
  }
  if (const auto* weaknesses = array(member(&cve, "weaknesses")))
    for (const auto& w : *weaknesses)
      if (const auto* ds = array(member(&w, "description")))
        for (const auto& d : *ds)
          add_cwe(r, text(member(&d, "value")));
  if (const auto* configs = array(member(&cve, "configurations")))
    for (const auto& c : *configs)
      if (const auto* nodes = array(member(&c, "nodes")))
        for (const auto& node : *nodes)
          if (const auto* matches = array(member(&node, "cpeMatch")))
            for (const auto& m : *matches) {
              ++r.cpe_matches;
              auto uri = text(member(&m, "criteria"));
              if (flag(member(&m, "vulnerable")) && !uri.empty())
                r.cpes.push_back(std::move(uri));
            }
  return r;
}

void keep(feed& out, cve_record r) {
  if (r.id.empty())
    ++out.skipped;
  else
    out.cves.push_back(std::move(r));
}

} // namespace

std::variant<feed, std::string> parse_nvd_feed(std::string_view text_in) {
  boost::system::error_code ec;
  json::value doc = json::parse(text_in, ec);
  if (ec)
    return std::string("not JSON: ") + ec.message();
  feed out;
  if (const auto* items = array(member(&doc, "CVE_Items"))) {
    out.format = "NVD JSON 1.1";
    out.cves.reserve(items->size());
    for (const auto& item : *items)
      keep(out, record_11(item));
    return out;
  }
  if (const auto* vulns = array(member(&doc, "vulnerabilities"))) {
    out.format = "NVD CVE API 2.0";
    out.cves.reserve(vulns->size());
    for (const auto& v : *vulns)
      keep(out, record_20(member(&v, "cve") ? *member(&v, "cve") : json::value()));
    return out;
  }
  return std::string("neither an NVD JSON 1.1 feed (CVE_Items) nor an NVD CVE API 2.0 "
                     "answer (vulnerabilities)");
}

std::variant<feed, std::string> read_nvd_feed(const std::string& file) {
  auto read = read_maybe_gzip(file);
  if (!read.error.empty())
    return read.error;
  auto parsed = parse_nvd_feed(read.bytes);
  if (auto* why = std::get_if<std::string>(&parsed))
    return file + ": " + *why;
  return parsed;
}

std::variant<std::vector<std::string>, std::string>
feed_files(const std::vector<std::string>& paths) {
  namespace fs = std::filesystem;
  std::vector<std::string> out;
  for (const auto& p : paths) {
    std::error_code ec;
    if (fs::is_regular_file(p, ec)) {
      out.push_back(p);
      continue;
    }
    if (!fs::is_directory(p, ec))
      return p + ": no such file or folder";
    std::vector<std::string> found;
    for (fs::recursive_directory_iterator it(p, ec), end; !ec && it != end; it.increment(ec)) {
      const auto name = it->path().filename().string();
      auto ends = [&](std::string_view tail) {
        return name.size() >= tail.size() &&
               name.compare(name.size() - tail.size(), tail.size(), tail) == 0;
      };
      if (it->is_regular_file(ec) && (ends(".json") || ends(".json.gz")))
        found.push_back(it->path().string());
    }
    if (ec)
      return p + ": " + ec.message();
    if (found.empty())
      return p + ": a folder without *.json or *.json.gz feeds";
    std::sort(found.begin(), found.end());
    out.insert(out.end(), found.begin(), found.end());
  }
  return out;
}

} // namespace qs::intel
