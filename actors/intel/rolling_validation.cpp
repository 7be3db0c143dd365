#include "actors/intel/rolling_validation.hpp"

#include <algorithm>
#include <numeric>

namespace qs::intel {

namespace {

/// The record as a newer feed may give it: v3 only where it has v3 (NVD since
/// 2022), no CPE configurations (a CVE NVD has not analysed).
cve_record test_view(cve_record r, const rolling_options& o) {
  if (o.test_without_v2 && r.cvss3) {
    r.cvss2.reset();
    r.v2_flags = {};
  }
  if (o.test_without_cpe) {
    r.cpes.clear();
    r.cpe_matches = 0;
  }
  return r;
}

struct test_set {
  std::vector<float> probability;
  std::vector<bool> exploited;
  std::vector<double> cvss;
};

boost::json::array bins_json(const std::vector<reliability_bin>& bins) {
  boost::json::array out;
  for (const auto& b : bins)
    out.push_back({{"from", b.low},
                   {"to", std::min(b.high, 1.0)},
                   {"count", b.count},
                   {"mean_predicted", b.mean_predicted},
                   {"observed", b.observed}});
  return out;
}

} // namespace

std::variant<rolling_report, std::string> rolling_validation(const std::vector<cve_record>& cves,
                                                             const kev_catalog& kev,
                                                             const rolling_options& o,
                                                             const progress_fn& progress) {
  if (o.horizons.empty())
    return std::string("no horizons to test at");
  std::vector<int> years;
  std::vector<bool> exploited;
  std::vector<feature_row> rows;
  years.reserve(cves.size());
  rows.reserve(cves.size());
  int newest = 0;
  for (std::size_t i = 0; i < cves.size(); ++i) {
    if (progress && i % 4096 == 0)
      progress("features", i, cves.size());
    years.push_back(cve_year(cves[i].id));
    exploited.push_back(kev.contains(cves[i].id));
    rows.push_back(cve_features(cves[i]));
    newest = std::max(newest, years.back());
  }
  const int last = o.last_year ? std::min(o.last_year, newest) : newest;
  const int nearest = *std::min_element(o.horizons.begin(), o.horizons.end());
  if (nearest < 1)
    return std::string("a horizon is at least one year");
  if (o.first_origin + nearest > last)
    return "no origin from " + std::to_string(o.first_origin) + " has a test year up to " +
           std::to_string(last);

  rolling_report report;
  std::vector<std::vector<origin_figures>> by_horizon(o.horizons.size());
  std::vector<std::vector<scored>> pooled(o.horizons.size());
  for (int origin = o.first_origin; origin + nearest <= last; ++origin) {
    std::vector<const feature_row*> train_rows;
    std::vector<bool> train_labels;
    std::vector<int> train_years;
    std::size_t positives = 0;
    for (std::size_t i = 0; i < rows.size(); ++i)
      if (years[i] && years[i] <= origin) {
        train_rows.push_back(&rows[i]);
        train_labels.push_back(exploited[i]);
        train_years.push_back(years[i]);
        positives += exploited[i];
      }
    if (positives == 0) {
      report.skipped.push_back("origin " + std::to_string(origin) + ": no exploited CVE up to it");
      continue;
    }
    const std::string step = "origin " + std::to_string(origin);
    booster::progress rounds;
    if (progress)
      rounds = [&](int done, int total) {
        progress(step.c_str(), static_cast<std::size_t>(done), static_cast<std::size_t>(total));
      };
    auto fitted = fit_trees(train_rows, train_labels, train_years, o.training.params,
                            o.training.features, rounds);
    if (auto* why = std::get_if<std::string>(&fitted))
      return step + ": " + *why;
    const auto model = model_of(std::get<fitted_trees>(std::move(fitted)), {});
    for (std::size_t h = 0; h < o.horizons.size(); ++h) {
      const int test_year = origin + o.horizons[h];
      if (test_year > last)
        continue;
      test_set test;
      std::vector<feature_row> test_rows;
      std::vector<std::size_t> tested;
      for (std::size_t i = 0; i < rows.size(); ++i)
        if (years[i] == test_year) {
          tested.push_back(i);
          test_rows.push_back(o.test_without_v2 || o.test_without_cpe
                                  ? cve_features(test_view(cves[i], o))
                                  : rows[i]);
          test.exploited.push_back(exploited[i]);
          test.cvss.push_back(cvss_score(cves[i]));
        }
      const auto found = std::count(test.exploited.begin(), test.exploited.end(), true);
      if (found == 0) {
        report.skipped.push_back("origin " + std::to_string(origin) + ", test year " +
                                 std::to_string(test_year) + ": no exploited CVE to find");
        continue;
      }
      test.probability = model->predict(test_rows);
      origin_figures f;
      f.origin = origin;
      f.horizon = o.horizons[h];
      f.test_year = test_year;
      f.figures = evaluate(test.probability, test.exploited, test.cvss);
      f.expected =
          std::accumulate(test.probability.begin(), test.probability.end(), 0.0,
                          [](double sum, float p) { return sum + static_cast<double>(p); });
      for (std::size_t i = 0; i < test.probability.size(); ++i) {
        pooled[h].push_back({test.probability[i], test.exploited[i]});
        if (o.keep_scores)
          f.scores.emplace_back(tested[i], test.probability[i]);
      }
      by_horizon[h].push_back(std::move(f));
    }
  }

  for (std::size_t h = 0; h < o.horizons.size(); ++h) {
    horizon_summary s;
    s.horizon = o.horizons[h];
    s.origins = by_horizon[h].size();
    for (const auto& f : by_horizon[h]) {
      const auto& e = f.figures;
      s.auc += e.auc, s.cvss_auc += e.cvss_auc;
      s.average_precision += e.average_precision;
      s.cvss_average_precision += e.cvss_average_precision;
      s.top5_recall += e.top5.recall, s.cvss_top5_recall += e.cvss_top5.recall;
      s.expected += f.expected, s.rows += e.rows, s.positives += e.positives;
    }
    if (s.origins) {
      const auto n = static_cast<double>(s.origins);
      for (double* mean : {&s.auc, &s.cvss_auc, &s.average_precision, &s.cvss_average_precision,
                           &s.top5_recall, &s.cvss_top5_recall})
        *mean /= n;
    }
    s.reliability = reliability(pooled[h], reliability_edges());
    report.horizons.push_back(std::move(s));
    for (auto& f : by_horizon[h])
      report.origins.push_back(std::move(f));
  }
  return report;
}

boost::json::object to_json(const rolling_report& r) {
  boost::json::array origins, horizons, skipped(r.skipped.begin(), r.skipped.end());
  for (const auto& f : r.origins) {
    auto e = to_json(f.figures);
    e.erase("reliability");
    e["origin"] = f.origin;
    e["horizon"] = f.horizon;
    e["test_year"] = f.test_year;
    e["expected_exploited"] = f.expected;
    origins.push_back(std::move(e));
  }
  for (const auto& s : r.horizons)
    horizons.push_back({{"horizon", s.horizon},
                        {"origins", s.origins},
                        {"mean_auc", s.auc},
                        {"mean_average_precision", s.average_precision},
                        {"mean_top_5_percent_recall", s.top5_recall},
                        {"cvss",
                         {{"mean_auc", s.cvss_auc},
                          {"mean_average_precision", s.cvss_average_precision},
                          {"mean_top_5_percent_recall", s.cvss_top5_recall}}},
                        {"rows", s.rows},
                        {"positives", s.positives},
                        {"expected_exploited", s.expected},
                        {"reliability", bins_json(s.reliability)}});
  return {{"origins", std::move(origins)},
          {"horizons", std::move(horizons)},
          {"skipped", std::move(skipped)}};
}

} // namespace qs::intel
