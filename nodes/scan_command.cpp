#include "nodes/scan_command.hpp"

#include <charconv>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>

#include <unistd.h>

#include "actors/scanner/baseline.hpp"
#include "actors/scanner/finding_groups.hpp"
#include "actors/scanner/net/scan_runner.hpp"
#include "actors/scanner/report_cbom.hpp"
#include "actors/scanner/report_json.hpp"
#include "actors/scanner/report_sarif.hpp"
#include "actors/scanner/report_table.hpp"

namespace qs::nodes {
namespace {

const char* usage = R"(usage: qscan scan [options] TARGET...

Inventories the cryptography of TLS endpoints, SSH servers and key files and rates
it against a quantum computer.

Targets:
  tls://HOST:PORT      a TLS endpoint (HOST:PORT alone means TLS; port 443 if left out)
  ssh://HOST:PORT      an SSH server (port 22 if left out)
  file:///PATH         a certificate or key file, or a folder walked recursively
  IPv6 addresses go in brackets: tls://[::1]:8443

Options:
  --targets FILE       more targets, one a line (# comments)
  --format FORMAT      table (default), json, cbom (CycloneDX 1.6) or sarif (SARIF 2.1.0)
  --output FILE        write there instead of stdout
  --concurrency N      targets at once (default 64)
  --timeout MS         per connection (default 5000)
  --probing MODE       TLS: economical (default: as few server signatures as learn
                       every fact) or thorough (each group and scheme alone)
  --fail-on LEVEL      exit 1 when a finding is LOW, MEDIUM, HIGH or CRITICAL or worse
  --baseline FILE      compare with a previous run's json or sarif output: the sarif
                       format marks each result new, unchanged, updated or absent, and
                       a count of each goes to stderr; or, with --format cbom, with a
                       previous CBOM: each component marked new or unchanged, the gone
                       ones listed in its metadata
  --fail-on-new LEVEL  exit 1 only when a finding new since --baseline reaches LEVEL

Exit status: 0 when done, 1 when a finding reaches --fail-on (or a new one
--fail-on-new), 2 on a usage error.
)";

int usage_error(const std::string& why) {
  std::cerr << "qscan scan: " << why << "\n(see qscan scan --help)\n";
  return 2;
}

int severity_rank(const std::string& s) {
  return s == "critical" ? 4 : s == "high" ? 3 : s == "medium" ? 2 : s == "low" ? 1 : 0;
}

std::string lower(std::string s) {
  for (auto& c : s)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool number(const std::string& text, long long low, long long high, long long& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc{} && end == text.data() + text.size() && out >= low && out <= high;
}

// "\r[12/40] 3.1 targets/s, 4 s" on a terminal; nothing when stderr is piped.
class progress_line {
public:
  progress_line() : on_(::isatty(STDERR_FILENO) == 1), started_(std::chrono::steady_clock::now()) {}
  void update(std::size_t done, std::size_t total) {
    if (!on_)
      return;
    const double s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    std::fprintf(stderr, "\r[%zu/%zu] %.1f targets/s, %.0f s ", done, total,
                 s > 0 ? static_cast<double>(done) / s : 0.0, s);
    std::fflush(stderr);
  }
  void finish() {
    if (on_)
      std::fprintf(stderr, "\r\033[K");
  }

private:
  bool on_;
  std::chrono::steady_clock::time_point started_;
};

} // namespace

int run_scan(const std::vector<std::string>& args) {
  std::vector<scanner::target> targets;
  std::string format = "table", output, fail_on, fail_on_new;
  std::optional<scanner::baseline> before;
  std::optional<scanner::cbom_baseline> before_cbom;
  scanner::net::scan_options options;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto& a = args[i];
    auto value = [&](const char* flag) -> std::optional<std::string> {
      if (i + 1 >= args.size())
        return std::nullopt;
      (void)flag;
      return args[++i];
    };
    if (a == "--help" || a == "-h") {
      std::cout << usage;
      return 0;
    }
    if (a == "--targets") {
      auto file = value("--targets");
      if (!file)
        return usage_error("--targets needs a file");
      std::ifstream in(*file);
      if (!in)
        return usage_error("cannot read " + *file);
      std::ostringstream text;
      text << in.rdbuf();
      auto list = scanner::parse_target_list(text.str(), *file);
      if (auto* why = std::get_if<std::string>(&list))
        return usage_error(*why);
      auto& more = std::get<std::vector<scanner::target>>(list);
      targets.insert(targets.end(), more.begin(), more.end());
    } else if (a == "--format") {
      auto v = value("--format");
      if (!v || (*v != "table" && *v != "json" && *v != "cbom" && *v != "sarif"))
        return usage_error("--format: expected table, json, cbom or sarif");
      format = *v;
    } else if (a == "--output") {
      auto v = value("--output");
      if (!v)
        return usage_error("--output needs a file");
      output = *v;
    } else if (a == "--concurrency" || a == "--timeout") {
      auto v = value(a.c_str());
      long long n = 0;
      if (!v || !number(*v, 1, a == "--timeout" ? 600000 : 10000, n))
        return usage_error(a + ": expected a number from 1 to " +
                           (a == "--timeout" ? "600000" : "10000"));
      if (a == "--timeout")
        options.timeout = std::chrono::milliseconds(n);
      else
        options.concurrency = static_cast<std::size_t>(n);
    } else if (a == "--probing") {
      auto v = value("--probing");
      if (!v || (*v != "economical" && *v != "thorough"))
        return usage_error("--probing: expected economical or thorough");
      options.economical = *v == "economical";
    } else if (a == "--fail-on") {
      auto v = value("--fail-on");
      if (!v || severity_rank(lower(*v)) == 0)
        return usage_error("--fail-on: expected LOW, MEDIUM, HIGH or CRITICAL");
      fail_on = lower(*v);
    } else if (a == "--fail-on-new") {
      auto v = value("--fail-on-new");
      if (!v || severity_rank(lower(*v)) == 0)
        return usage_error("--fail-on-new: expected LOW, MEDIUM, HIGH or CRITICAL");
      fail_on_new = lower(*v);
    } else if (a == "--baseline") {
      auto file = value("--baseline");
      if (!file)
        return usage_error("--baseline needs a file");
      std::ifstream in(*file, std::ios::binary);
      if (!in)
        return usage_error("cannot read " + *file);
      std::ostringstream text;
      text << in.rdbuf();
      if ((before_cbom = scanner::read_cbom_baseline(text.str())))
        continue;
      auto read = scanner::read_baseline(text.str());
      if (auto* why = std::get_if<std::string>(&read))
        return usage_error("--baseline " + *file + ": " + *why);
      before = std::get<scanner::baseline>(std::move(read));
    } else if (a.rfind("-", 0) == 0) {
      return usage_error("unknown option " + a);
    } else {
      auto t = scanner::parse_target(a);
      if (auto* why = std::get_if<std::string>(&t))
        return usage_error(*why);
      targets.push_back(std::move(std::get<scanner::target>(t)));
    }
  }
  if (targets.empty())
    return usage_error("no targets");
  if (before_cbom && format != "cbom")
    return usage_error("a CycloneDX --baseline compares --format cbom output; give a json or "
                       "sarif output to compare findings");
  if (!fail_on_new.empty() && !before)
    return usage_error("--fail-on-new needs --baseline (a previous json or sarif output)");

  progress_line progress;
  options.progress = [&](std::size_t done, std::size_t total) { progress.update(done, total); };
  const auto results = scanner::net::run_scans(targets, options);
  progress.finish();

  std::optional<scanner::comparison> compared;
  if (before) {
    compared = scanner::compare(results, *before);
    std::map<scanner::baseline_state, std::size_t> counts;
    for (const auto& states : compared->states)
      for (auto s : states)
        ++counts[s];
    std::cerr << "qscan scan: against the baseline: " << counts[scanner::baseline_state::new_]
              << " new, " << counts[scanner::baseline_state::updated] << " updated, "
              << counts[scanner::baseline_state::unchanged] << " unchanged, "
              << compared->absent.size() << " absent\n";
  }
  scanner::cbom_counts components;
  std::string text =
      format == "json" ? scanner::results_json(results) + "\n"
      : format == "cbom"
          ? scanner::results_cbom(results, before_cbom ? &*before_cbom : nullptr, &components) +
                "\n"
      : format == "sarif" ? scanner::results_sarif(results, compared ? &*compared : nullptr) + "\n"
                          : scanner::results_table(results);
  if (before_cbom)
    std::cerr << "qscan scan: against the baseline: " << components.added << " new, "
              << components.unchanged << " unchanged, " << components.absent
              << " absent components\n";
  if (output.empty()) {
    std::cout << text << std::flush;
  } else {
    std::ofstream out(output, std::ios::binary | std::ios::trunc);
    if (!(out << text)) {
      std::cerr << "qscan scan: cannot write " << output << "\n";
      return 2;
    }
  }
  if (!fail_on.empty())
    for (const auto& r : results)
      for (const auto& f : r.findings)
        if (severity_rank(f.severity) >= severity_rank(fail_on))
          return 1;
  if (!fail_on_new.empty())
    for (std::size_t i = 0; i < results.size(); ++i) {
      const auto groups = scanner::group_findings(results[i].findings);
      for (std::size_t j = 0; j < groups.size(); ++j)
        if (compared->states[i][j] == scanner::baseline_state::new_ &&
            severity_rank(groups[j].summary.severity) >= severity_rank(fail_on_new))
          return 1;
    }
  return 0;
}

} // namespace qs::nodes
