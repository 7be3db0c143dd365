// What the exploit model reads from outside: NVD feeds (JSON 1.1 or CVE API 2.0),
// a KEV catalogue, gzip data, and a model file's token-lift table. The first byte
// picks which. Invariants besides no crash or sanitizer report: every CVE read
// writes back as JSON that reads back to the same JSON, and its feature row has
// strictly increasing indices inside the schema.
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "actors/intel/exploit_features.hpp"
#include "actors/intel/gzip.hpp"
#include "actors/intel/kev_catalog.hpp"
#include "actors/intel/nvd_feed.hpp"
#include "tests/fuzz/fuzz_input.hpp"

namespace intel = qs::intel;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1)
    return 0;
  const auto text = qs::fuzz::text_of(data + 1, size - 1);
  switch (data[0] % 3) {
  case 0: {
    auto read = intel::parse_nvd_feed(text);
    if (auto* f = std::get_if<intel::feed>(&read))
      for (const auto& cve : f->cves) {
        const auto once = boost::json::serialize(intel::to_json(cve));
        const auto again =
            boost::json::serialize(intel::to_json(intel::cve_from_json(intel::to_json(cve))));
        qs::fuzz::require(once == again, "a CVE record does not round-trip");
        const auto row = intel::cve_features(cve);
        for (std::size_t i = 0; i < row.index.size(); ++i) {
          qs::fuzz::require(row.index[i] < intel::feature_count, "a feature index is too large");
          qs::fuzz::require(i == 0 || row.index[i - 1] < row.index[i],
                            "feature indices are not strictly increasing");
        }
      }
    break;
  }
  case 1: {
    auto read = intel::parse_kev(text);
    if (auto* k = std::get_if<intel::kev_catalog>(&read))
      for (const auto& [id, entry] : k->entries)
        qs::fuzz::require(!id.empty(), "a KEV entry without a CVE id");
    break;
  }
  default: {
    auto out = intel::maybe_gunzip(std::string(text));
    qs::fuzz::require(out.error.empty() || out.bytes.empty(), "bytes beside an error");
    break;
  }
  }
  return 0;
}
