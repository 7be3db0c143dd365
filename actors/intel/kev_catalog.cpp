#include "actors/intel/kev_catalog.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "actors/intel/nvd_feed.hpp"

namespace qs::intel {

namespace {
std::string text(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}
} // namespace

std::variant<kev_catalog, std::string> parse_kev(std::string_view json) {
  boost::system::error_code ec;
  auto doc = boost::json::parse(json, ec);
  if (ec)
    return std::string("not JSON: ") + ec.message();
  const auto* list = doc.is_object() ? doc.get_object().if_contains("vulnerabilities") : nullptr;
  if (!list || !list->is_array())
    return std::string("not a KEV catalogue: no \"vulnerabilities\" list");
  kev_catalog out;
  out.version = text(doc.get_object(), "catalogVersion");
  for (const auto& v : list->get_array()) {
    if (!v.is_object())
      continue;
    const auto& o = v.get_object();
    auto id = text(o, "cveID");
    if (id.empty())
      continue;
    out.entries[id] = {text(o, "dateAdded"), text(o, "vendorProject"), text(o, "product"),
                       text(o, "knownRansomwareCampaignUse") == "Known"};
  }
  return out;
}

std::variant<kev_catalog, std::string> read_kev(const std::string& file) {
  auto read = read_maybe_gzip(file);
  if (!read.error.empty())
    return read.error;
  auto parsed = parse_kev(read.bytes);
  if (auto* why = std::get_if<std::string>(&parsed))
    return file + ": " + *why;
  return parsed;
}

} // namespace qs::intel
