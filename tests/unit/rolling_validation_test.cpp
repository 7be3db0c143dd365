// Choosing the exploit model on the future: feature groups, rolling origins
// (train up to Y, test on Y+h, nothing learned from after Y), the CVSS prior
// under the trees. Small made-up corpora, a few trees each.
#include <catch2/catch.hpp>

#include <algorithm>

#include "actors/intel/feature_layout.hpp"
#include "actors/intel/rolling_validation.hpp"
#include "tests/unit/exploit_corpus.hpp"

using namespace qs::intel;
using qs::test::corpus;
using qs::test::cve;

namespace {

train_params quick() {
  train_params p;
  p.rounds = 30;
  p.eta = 0.3;
  p.min_child_weight = 0.1;
  p.threads = 2;
  return p;
}

} // namespace

TEST_CASE("feature groups are read from text, and a set keeps only its groups' columns") {
  CHECK(std::get<feature_set>(feature_set::parse("all")) == feature_set::all());
  const auto some = std::get<feature_set>(feature_set::parse("cvss,cwe_family"));
  CHECK(some.names() == std::vector<std::string>{"cvss", "cwe_family"});
  CHECK(std::get<feature_set>(feature_set::parse(some.text())) == some);
  const auto most = std::get<feature_set>(feature_set::parse("all,-words,-word_prior"));
  CHECK_FALSE(most.has(feature_group::words));
  CHECK(most.has(feature_group::vendor_prior));
  CHECK(
      most ==
      feature_set::all().with(feature_group::words, false).with(feature_group::word_prior, false));
  auto bad = feature_set::parse("cvss,colour");
  REQUIRE(std::holds_alternative<std::string>(bad));
  CHECK_THAT(std::get<std::string>(bad), Catch::Contains("unknown feature group \"colour\""));
  CHECK(std::holds_alternative<std::string>(feature_set::parse("")));

  const auto row = cve_features(cve("CVE-2017-1", "remote code execution", "acme", 9.8));
  const auto kept = some.apply(row);
  REQUIRE_FALSE(kept.index.empty());
  CHECK(kept.index.size() < row.index.size());
  for (auto i : kept.index) {
    CHECK(some.keeps(i));
    CHECK(i < layout::cwe_hash_base); // no hashed CWE, vendor, product or word
  }
  // Every set keeps what says a CVE is catalogued.
  CHECK(std::count(kept.index.begin(), kept.index.end(), layout::catalogued) == 1);
  CHECK(feature_set::all().apply(row).index == row.index);
}

TEST_CASE("rolling origins test each origin's model on the years after it, with means per "
          "horizon") {
  auto [cves, kev] = corpus(1600, 7);
  rolling_options o;
  o.training.params = quick();
  o.first_origin = 2012;
  o.horizons = {1, 4};
  o.keep_scores = true;
  auto run = rolling_validation(cves, kev, o);
  REQUIRE(std::holds_alternative<rolling_report>(run));
  const auto& r = std::get<rolling_report>(run);
  // Y+1 for 2012..2016, Y+4 for 2012..2013: the data end at 2017.
  REQUIRE(r.origins.size() == 7);
  REQUIRE(r.horizons.size() == 2);
  CHECK(r.horizons[0].horizon == 1);
  CHECK(r.horizons[0].origins == 5);
  CHECK(r.horizons[1].origins == 2);
  double auc = 0;
  for (const auto& f : r.origins) {
    CHECK(f.test_year == f.origin + f.horizon);
    CHECK(f.figures.rows == 200); // a year of the corpus
    CHECK(f.scores.size() == f.figures.rows);
    CHECK(f.expected > 0);
    if (f.horizon == 1)
      auc += f.figures.auc / 5;
  }
  CHECK(r.horizons[0].auc == Approx(auc));
  CHECK(r.horizons[0].auc > 0.85);
  CHECK(r.horizons[0].auc > r.horizons[0].cvss_auc);
  CHECK(r.horizons[1].rows == 400);
  std::size_t binned = 0;
  for (const auto& b : r.horizons[1].reliability)
    binned += b.count;
  CHECK(binned == 400);
  const auto json = to_json(r);
  CHECK(json.at("horizons").at(1).at("mean_auc").to_number<double>() == Approx(r.horizons[1].auc));
  CHECK(json.at("origins").as_array().size() == 7);

  o.first_origin = 2017;
  auto none = rolling_validation(cves, kev, o);
  REQUIRE(std::holds_alternative<std::string>(none));
  CHECK_THAT(std::get<std::string>(none), Catch::Contains("no origin from 2017"));
}

TEST_CASE("a rolling origin learns nothing from the years after it") {
  // To 2015 the vendor "acme" marks the exploited; from 2016 on only "zenith" is,
  // and acme never again. A model that saw no label after its origin ranks 2016
  // backwards; one that had (lifts or trees from the test years) would not.
  std::vector<cve_record> cves;
  kev_catalog kev;
  for (int i = 0; i < 1600; ++i) {
    const int year = 2010 + i % 8;
    const bool marked = (i / 8) % 10 == 0; // in every year, one block of eight in ten
    const std::string vendor = !marked        ? "vendor" + std::to_string(i % 37)
                               : year <= 2015 ? "acme"
                                              : ((i / 80) % 2 == 0 ? "zenith" : "acme");
    const std::string id = "CVE-" + std::to_string(year) + "-" + std::to_string(20000 + i);
    cves.push_back(cve(id, "a flaw in the product", vendor, 7.5));
    if (vendor == "acme" ? year <= 2015 : vendor == "zenith")
      kev.entries[id] = {};
  }
  rolling_options o;
  o.training.params = quick();
  o.training.features = feature_set::all(); // the vendor's prior too: it must not see 2016
  o.first_origin = 2015;
  o.horizons = {1};
  auto run = rolling_validation(cves, kev, o);
  REQUIRE(std::holds_alternative<rolling_report>(run));
  const auto& r = std::get<rolling_report>(run);
  REQUIRE(r.origins.size() == 2); // 2015 -> 2016, 2016 -> 2017
  CHECK(r.origins[0].test_year == 2016);
  CHECK(r.origins[0].figures.auc < 0.6);
}

TEST_CASE("a CVSS prior under the trees ranks an unknown vendor's CVEs by severity, and the model "
          "file keeps it") {
  auto [cves, kev] = corpus(1600, 5);
  training_options t;
  t.params = quick();
  t.params.cvss_slope = 0.5;
  auto trained = train_exploit_model(cves, kev, t);
  REQUIRE(std::holds_alternative<qs::intel::trained>(trained));
  const auto model = std::get<qs::intel::trained>(trained).model;
  REQUIRE(model->meta().contains("cvss_prior"));
  CHECK(model->meta().at("cvss_prior").at("slope").to_number<double>() == Approx(0.5));

  const auto severe = cve_features(cve("CVE-2018-1", "a flaw in the widget", "newco", 9.8));
  const auto mild = cve_features(cve("CVE-2018-2", "a flaw in the widget", "newco", 4.0));
  CHECK(model->predict(severe) > 2 * model->predict(mild));

  auto parsed = exploit_model::parse(model->serialise());
  REQUIRE(std::holds_alternative<std::shared_ptr<const exploit_model>>(parsed));
  const auto& again = *std::get<std::shared_ptr<const exploit_model>>(parsed);
  CHECK(predict_cves(again, cves) == predict_cves(*model, cves));
  feature_labels labels;
  const auto row = cve_features(cve("CVE-2018-3", "a flaw", "newco", 9.8), &labels);
  const auto why = again.explain(row, labels, 30);
  CHECK(std::any_of(why.begin(), why.end(), [](const contribution& c) {
    return c.feature == "cvss_prior" && c.log_odds > 0;
  }));
}

TEST_CASE("with margin offsets, our walk of the trees still gives XGBoost's own probabilities") {
  auto [cves, kev] = corpus(600, 9);
  sparse_matrix m;
  std::vector<feature_row> rows;
  std::vector<float> offsets;
  for (const auto& c : cves) {
    rows.push_back(cve_features(c));
    offsets.push_back(static_cast<float>(0.4 * (cvss_prior::score(rows.back()) - 7)));
    m.add(rows.back(), kev.contains(c.id) ? 1.f : 0.f);
  }
  m.margin_offset = offsets;
  auto p = quick();
  p.max_depth = 5;
  auto trained = booster::train(m, p);
  REQUIRE(std::holds_alternative<booster>(trained));
  const auto& b = std::get<booster>(trained);
  auto walk = tree_ensemble::from_xgboost_json(b.save());
  REQUIRE(walk);
  const auto expected = b.predict(m);
  const auto ours = walk->predict(rows, offsets);
  REQUIRE(ours.size() == expected.size());
  for (std::size_t i = 0; i < rows.size(); ++i)
    CHECK(ours[i] == Approx(expected[i]).margin(1e-6));
}
