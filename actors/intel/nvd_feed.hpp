// NVD feeds read into CVE records: the JSON 1.1 yearly feeds (`CVE_Items`) and
// NVD's current CVE API 2.0 format (`vulnerabilities[].cve`), gzip or plain
// (told apart by the bytes, not the name). Tolerant, as a reader of someone
// else's data must be: unknown members are ignored, an entry without metrics
// or CWE is kept with what it has, CVSS 3.0 and 3.1 are both v3. Only a file
// that is not JSON or is neither format is an error. Pure.
#pragma once

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "actors/intel/cve_record.hpp"
#include "actors/intel/gzip.hpp"

namespace qs::intel {

struct feed {
  std::string format; ///< "NVD JSON 1.1" or "NVD CVE API 2.0"
  std::vector<cve_record> cves;
  std::size_t skipped = 0; ///< entries without a CVE id
};

/// Reads one feed from JSON text; an error says what is wrong.
std::variant<feed, std::string> parse_nvd_feed(std::string_view json);

/// Reads one feed file, gzip or plain; errors name the file.
std::variant<feed, std::string> read_nvd_feed(const std::string& path);

/// The feed files a list of paths names: a file as itself, a folder as every
/// `*.json` and `*.json.gz` under it (recursively, sorted). Errors name a path
/// that does not exist or a folder without feeds.
std::variant<std::vector<std::string>, std::string>
feed_files(const std::vector<std::string>& paths);

} // namespace qs::intel
