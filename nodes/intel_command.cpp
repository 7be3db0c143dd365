#include "nodes/intel_command.hpp"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include <unistd.h>

#include "actors/intel/cve_catalogue.hpp"
#include "actors/intel/nvd_feed.hpp"

namespace qs::nodes {
namespace {

using namespace qs::intel;

const char* usage = R"(usage: qscan intel COMMAND [options]

The CVE catalogue the threat model reads: a finding whose cve_id the catalogue
knows is predicted from the CVE's own features, and one in KEV is known exploited.
`qscan serve` reads DATA_DIR/cves.db; a node reads --cve-catalogue.

Commands:
  import-nvd FEED...   NVD feeds (JSON 1.1 or CVE API 2.0, gzip or plain, or folders
                       of them); idempotent: a stored CVE is replaced only by a newer
                       lastModified
  import-kev FILE      CISA's known_exploited_vulnerabilities.json (replaces the last one)

Options:
  --catalogue FILE     the catalogue file (default: DATA_DIR/cves.db)
  --data-dir DIR       as for qscan serve (default ./var)
)";

int usage_error(const std::string& why) {
  std::cerr << "qscan intel: " << why << "\n(see qscan intel --help)\n";
  return 2;
}

int failed(const std::string& why) {
  std::cerr << "qscan intel: " << why << "\n";
  return 1;
}

std::string counts_line(const import_counts& c) {
  return std::to_string(c.added) + " added, " + std::to_string(c.updated) + " updated, " +
         std::to_string(c.unchanged) + " unchanged";
}

} // namespace

int run_intel(const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    std::cout << usage;
    return args.empty() ? 2 : 0;
  }
  std::string catalogue, data_dir = "./var";
  std::vector<std::string> inputs;
  for (std::size_t i = 1; i < args.size(); ++i) {
    if (args[i] == "--catalogue" || args[i] == "--data-dir") {
      if (i + 1 >= args.size())
        return usage_error(args[i] + " needs a value");
      auto& into = args[i] == "--catalogue" ? catalogue : data_dir;
      into = args[++i];
    } else if (args[i].rfind("--", 0) == 0) {
      return usage_error("unknown option " + args[i]);
    } else {
      inputs.push_back(args[i]);
    }
  }
  const auto& command = args[0];
  if (command != "import-nvd" && command != "import-kev")
    return usage_error("unknown command \"" + command + "\"");
  if (inputs.empty())
    return usage_error(command == "import-nvd" ? "import-nvd needs at least one feed"
                                               : "import-kev needs the KEV file");
  if (command == "import-kev" && inputs.size() != 1)
    return usage_error("import-kev takes one file");
  if (catalogue.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(data_dir, ec);
    if (ec)
      return failed("cannot create " + data_dir + ": " + ec.message());
    catalogue = (std::filesystem::path(data_dir) / "cves.db").string();
  }
  auto opened = cve_catalogue::open(catalogue);
  if (!opened)
    return failed(opened.error().message);
  auto& store = **opened;

  if (command == "import-kev") {
    auto kev = read_kev(inputs[0]);
    if (auto* why = std::get_if<std::string>(&kev))
      return failed(*why);
    auto done = store.import_kev(std::get<kev_catalog>(kev));
    if (!done)
      return failed(done.error().message);
    std::cout << "KEV " << std::get<kev_catalog>(kev).version << ": "
              << std::get<kev_catalog>(kev).entries.size() << " exploited CVEs in " << catalogue
              << "\n";
    return 0;
  }
  auto files = feed_files(inputs);
  if (auto* why = std::get_if<std::string>(&files))
    return failed(*why);
  const bool terminal = ::isatty(STDERR_FILENO) == 1;
  const auto started = std::chrono::steady_clock::now();
  import_counts total;
  const auto& list = std::get<std::vector<std::string>>(files);
  for (std::size_t i = 0; i < list.size(); ++i) {
    auto feed = read_nvd_feed(list[i]);
    if (auto* why = std::get_if<std::string>(&feed))
      return failed(*why);
    auto done = store.import_cves(std::get<intel::feed>(feed).cves);
    if (!done)
      return failed(done.error().message);
    const auto& c = *done;
    total.added += c.added, total.updated += c.updated, total.unchanged += c.unchanged;
    if (terminal) {
      const double s =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      std::fprintf(stderr, "\r\033[Kimport-nvd: %zu/%zu feeds, %zu CVEs, %.1f s", i + 1,
                   list.size(), total.added + total.updated + total.unchanged, s);
    }
  }
  if (terminal)
    std::fputs("\n", stderr);
  std::cout << list.size() << (list.size() == 1 ? " feed: " : " feeds: ") << counts_line(total)
            << " in " << catalogue << "\n";
  return 0;
}

} // namespace qs::nodes
