#include "nodes/model_report.hpp"

#include <cstdio>
#include <string>

namespace qs::nodes {

namespace {

std::string percent(double x) {
  char out[32];
  std::snprintf(out, sizeof out, "%.1f%%", 100 * x);
  return out;
}

/// printf into a string: the tables are fixed-width columns.
template<class... Args> std::string format(const char* pattern, Args... args) {
  char line[512];
  std::snprintf(line, sizeof line, pattern, args...);
  return line;
}

void print_reliability(const std::vector<intel::reliability_bin>& bins, std::ostream& out) {
  out << format("  %-12s %8s %15s %10s\n", "predicted", "CVEs", "mean predicted", "observed");
  for (const auto& b : bins)
    out << format("  %-12s %8zu %15.4f %10.4f\n",
                  (format("%g", b.low) + "-" + format("%g", std::min(b.high, 1.0))).c_str(),
                  b.count, b.mean_predicted, b.observed);
}

} // namespace

void print_evaluation(const intel::evaluation& e, std::ostream& out) {
  out << "validation: " << e.rows << " CVEs, " << e.positives << " exploited (in KEV)\n";
  out << format("%-34s %10s %10s\n", "", "model", "CVSS");
  out << format("%-34s %10.4f %10.4f\n", "ROC-AUC", e.auc, e.cvss_auc);
  out << format("%-34s %10.4f %10.4f\n", "average precision", e.average_precision,
                e.cvss_average_precision);
  out << format("%-34s %10.4f %10.4f\n", "recall, top 5% flagged", e.top5.recall,
                e.cvss_top5.recall);
  out << format("%-34s %10.4f %10.4f\n", "precision, top 5% flagged", e.top5.precision,
                e.cvss_top5.precision);
  const std::string share = "flagging " + percent(e.cvss7.share) + " (as CVSS >= 7)";
  out << format("%-34s %10.4f %10.4f\n", ("recall, " + share).c_str(), e.cvss7_share.recall,
                e.cvss7.recall);
  out << format("%-34s %10.4f %10.4f\n", ("precision, " + share).c_str(), e.cvss7_share.precision,
                e.cvss7.precision);
}

void print_rolling(const intel::rolling_report& r, const std::string& features, std::ostream& out) {
  out << "rolling origins: trained on CVE-ID years up to Y, tested on year Y+h; features "
      << features << "\n";
  for (const auto& s : r.horizons) {
    out << "\nY+" << s.horizon << format("%-33s", "") << "model" << format("%-27s", "") << "CVSS\n";
    out << format("%-6s %-5s %6s %9s %8s   %7s %8s %8s   %7s %8s %8s\n", "origin", "test", "CVEs",
                  "exploited", "expected", "ROC-AUC", "avg prec", "recall5%", "ROC-AUC", "avg prec",
                  "recall5%");
    for (const auto& f : r.origins) {
      if (f.horizon != s.horizon)
        continue;
      const auto& e = f.figures;
      out << format("%-6d %-5d %6zu %9zu %8.1f   %7.4f %8.4f %8.4f   %7.4f %8.4f %8.4f\n", f.origin,
                    f.test_year, e.rows, e.positives, f.expected, e.auc, e.average_precision,
                    e.top5.recall, e.cvss_auc, e.cvss_average_precision, e.cvss_top5.recall);
    }
    out << format("%-12s %6zu %9zu %8.1f   %7.4f %8.4f %8.4f   %7.4f %8.4f %8.4f\n",
                  ("mean of " + std::to_string(s.origins)).c_str(), s.rows, s.positives, s.expected,
                  s.auc, s.average_precision, s.top5_recall, s.cvss_auc, s.cvss_average_precision,
                  s.cvss_top5_recall);
    out << format(
        "model - CVSS: ROC-AUC %+.4f; average precision %.2f times CVSS's\n", s.auc - s.cvss_auc,
        s.cvss_average_precision > 0 ? s.average_precision / s.cvss_average_precision : 0.0);
  }
  for (const auto& s : r.horizons) {
    out << "\ncalibration at Y+" << s.horizon << " (" << s.origins
        << " test years pooled: " << s.rows << " CVEs, " << s.positives << " exploited, "
        << format("%.1f", s.expected) << " expected)\n";
    print_reliability(s.reliability, out);
  }
  for (const auto& why : r.skipped)
    out << "skipped: " << why << "\n";
}

} // namespace qs::nodes
