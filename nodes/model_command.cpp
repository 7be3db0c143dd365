#include "nodes/model_command.hpp"

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>

#include <unistd.h>

#include <boost/json/serialize.hpp>

#include "actors/intel/exploit_training.hpp"
#include "actors/intel/nvd_feed.hpp"
#include "actors/intel/rolling_validation.hpp"
#include "nodes/model_options.hpp"
#include "nodes/model_report.hpp"

namespace qs::nodes {
namespace {

using namespace qs::intel;

const char* usage = R"(usage: qscan model COMMAND [options]

The exploit model: the probability that a CVE or finding is exploited, learned
from NVD feeds labelled by CISA's KEV catalogue (gradient-boosted trees, XGBoost).
A PATH is an NVD feed (JSON 1.1 or CVE API 2.0, gzip or plain) or a folder of them.

Commands:
  train --nvd PATH... --kev FILE --out FILE [--until YEAR] [--validate-from YEAR]
        trains on CVE years up to --until (default: all); with --validate-from, the
        same settings are first trained on the years before it and measured on the
        rest, and those figures are stored in the model. FILE ending .gz is gzip.
  eval --nvd PATH... --kev FILE [--validate-from YEAR] [--until YEAR] [--model FILE]
        trains on the years before --validate-from (default 2016) and measures on
        --validate-from..--until, or measures --model there; prints the figures
        beside the CVSS ranking (--format json for JSON)
  eval --rolling --nvd PATH... --kev FILE [--first-origin YEAR] [--horizons 1,4]
        [--until YEAR] [--without-v2] [--without-cpe] [--predictions FILE]
        rolling origins: for every year Y from --first-origin (2009), trains on
        CVE-ID years up to Y and measures on year Y+h for each horizon h whose
        year the data holds (up to --until); prints every origin, the means per
        horizon beside CVSS, and the calibration pooled per horizon.
        --without-v2 reads the test CVEs without CVSS v2 where they have v3 (as
        NVD writes them since 2022), --without-cpe without CPEs (unanalysed).
        --predictions writes "origin,horizon,cve_id,probability,cvss,exploited".
  info [FILE]
        what a model file (default: the shipped model) holds, without its trees
  score --nvd PATH... [--model FILE]
        CSV "cve_id,probability" for every CVE in the feeds, with the shipped
        model unless --model names another; the KEV lookup plays no part

Training settings (train and eval):
  --features GROUPS  the feature groups the trees learn from: "all", a list
        ("cvss,cvss_vector,cwe_family") or "all,-words" (groups: cvss,
        cvss_vector, cpe, length, cwe_family, cwe_id, vendor, product, words,
        vendor_prior, product_prior, word_prior, cwe_prior, exploit_history)
  --booster gbtree|gblinear  trees (default) or a logistic regression on the same features
  --rounds N (300)  --max-depth N (4)  --eta X (0.05)  --subsample X (0.8)
  --colsample X (0.5)  --min-child-weight X (1)  --lambda X (1)  --seed N (0)
  --scale-pos-weight X (1: keeps probabilities calibrated)
  --half-life YEARS (0: off) a CVE that many years older than the newest counts half
  --lift-smoothing N (30) base-rate pseudo-rows of the token lifts
  --lift-half-life YEARS (0: off) older CVEs count less in the token lifts
  --cvss-slope X (0: none) a prior of X log-odds per CVSS point under the trees
  --cvss-prior-after  the trees learn without that prior; it is only added to predictions
  --threads N (0: every core)
)";

int usage_error(const std::string& why) {
  std::cerr << "qscan model: " << why << "\n(see qscan model --help)\n";
  return 2;
}

/// A progress line on stderr when it is a terminal; nothing when piped.
class progress_line {
public:
  progress_line() : on_(::isatty(STDERR_FILENO) == 1), start_(std::chrono::steady_clock::now()) {}
  ~progress_line() { finish(); }
  progress_fn fn() {
    if (!on_)
      return {};
    return [this](const char* step, std::size_t done, std::size_t total) {
      const double s =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
      std::fprintf(stderr, "\r\033[K%s: %zu/%zu, %.1f s", step, done, total, s);
      shown_ = true;
    };
  }
  void finish() {
    if (shown_)
      std::fputs("\n", stderr);
    shown_ = false;
  }

private:
  bool on_, shown_ = false;
  std::chrono::steady_clock::time_point start_;
};

std::variant<std::vector<cve_record>, std::string> feeds(const model_options& o,
                                                         progress_line& line) {
  if (o.nvd.empty())
    return std::string("--nvd is required");
  auto read = read_feeds(o.nvd, line.fn());
  line.finish();
  return read;
}

int load_kev(const model_options& o, kev_catalog& into) {
  if (o.kev.empty())
    return usage_error("--kev is required");
  auto kev = read_kev(o.kev);
  if (auto* why = std::get_if<std::string>(&kev)) {
    std::cerr << "qscan model: " << *why << "\n";
    return 1;
  }
  into = std::get<kev_catalog>(std::move(kev));
  return 0;
}

int train(const model_options& o) {
  if (o.out.empty())
    return usage_error("--out is required");
  kev_catalog kev;
  if (int rc = load_kev(o, kev))
    return rc;
  progress_line line;
  auto cves = feeds(o, line);
  if (auto* why = std::get_if<std::string>(&cves)) {
    std::cerr << "qscan model: " << *why << "\n";
    return 1;
  }
  training_options t;
  t.params = o.params;
  t.features = o.features;
  t.until = static_cast<int>(o.until);
  t.validate_from = static_cast<int>(o.validate_from);
  const auto started = std::chrono::steady_clock::now();
  auto trained = train_exploit_model(std::get<0>(cves), kev, t, line.fn());
  line.finish();
  if (auto* why = std::get_if<std::string>(&trained)) {
    std::cerr << "qscan model: " << *why << "\n";
    return 1;
  }
  const auto& result = std::get<intel::trained>(trained);
  const auto text = result.model->serialise();
  const bool gz = o.out.size() > 3 && o.out.compare(o.out.size() - 3, 3, ".gz") == 0;
  std::ofstream file(o.out, std::ios::binary | std::ios::trunc);
  file << (gz ? gzip(text) : text);
  if (!file.flush()) {
    std::cerr << "qscan model: cannot write " << o.out << "\n";
    return 1;
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::cout << "model " << result.model->version() << " written to " << o.out << " ("
            << boost::json::serialize(result.model->meta().at("training").at("samples"))
            << " samples, trained in " << static_cast<int>(seconds + 0.5) << " s)\n";
  if (result.validation)
    print_evaluation(*result.validation, std::cout);
  return 0;
}

int rolling(const model_options& o) {
  kev_catalog kev;
  if (int rc = load_kev(o, kev))
    return rc;
  if (!o.model.empty() || o.validate_given)
    return usage_error("--rolling trains its own models: no --model or --validate-from");
  progress_line line;
  auto cves = feeds(o, line);
  if (auto* why = std::get_if<std::string>(&cves)) {
    std::cerr << "qscan model: " << *why << "\n";
    return 1;
  }
  rolling_options r;
  r.training.params = o.params;
  r.training.features = o.features;
  r.first_origin = static_cast<int>(o.first_origin);
  r.last_year = static_cast<int>(o.until);
  r.horizons = o.horizons;
  r.test_without_v2 = o.without_v2;
  r.test_without_cpe = o.without_cpe;
  r.keep_scores = !o.predictions.empty();
  auto report = rolling_validation(std::get<0>(cves), kev, r, line.fn());
  line.finish();
  if (auto* why = std::get_if<std::string>(&report)) {
    std::cerr << "qscan model: " << *why << "\n";
    return 1;
  }
  const auto& done = std::get<rolling_report>(report);
  if (!o.predictions.empty()) {
    std::ofstream file(o.predictions, std::ios::trunc);
    file << "origin,horizon,cve_id,probability,cvss,exploited\n";
    char p[32];
    for (const auto& f : done.origins)
      for (const auto& [at, probability] : f.scores) {
        const auto& cve = std::get<0>(cves)[at];
        std::snprintf(p, sizeof p, "%.9g", static_cast<double>(probability));
        file << f.origin << ',' << f.horizon << ',' << cve.id << ',' << p << ',' << cvss_score(cve)
             << ',' << (kev.contains(cve.id) ? 1 : 0) << '\n';
      }
    if (!file.flush()) {
      std::cerr << "qscan model: cannot write " << o.predictions << "\n";
      return 1;
    }
  }
  if (o.format == "json") {
    auto doc = to_json(done);
    doc["features"] = o.features.text();
    doc["without_v2"] = o.without_v2;
    doc["without_cpe"] = o.without_cpe;
    std::cout << boost::json::serialize(doc) << "\n";
  } else {
    print_rolling(done, o.features.text(), std::cout);
  }
  return 0;
}

int eval(model_options o) {
  if (o.rolling)
    return rolling(o);
  kev_catalog kev;
  if (int rc = load_kev(o, kev))
    return rc;
  if (!o.validate_given)
    o.validate_from = 2016;
  progress_line line;
  auto cves = feeds(o, line);
  if (auto* why = std::get_if<std::string>(&cves)) {
    std::cerr << "qscan model: " << *why << "\n";
    return 1;
  }
  std::optional<evaluation> e;
  if (!o.model.empty()) {
    auto model = exploit_model::read(o.model, o.params.threads ? o.params.threads : 2);
    if (auto* why = std::get_if<std::string>(&model)) {
      std::cerr << "qscan model: " << *why << "\n";
      return 1;
    }
    std::vector<cve_record> held;
    for (auto& c : std::get<0>(cves)) {
      const int y = cve_year(c.id);
      if (y >= o.validate_from && (!o.until || y <= o.until))
        held.push_back(c);
    }
    const auto p = predict_cves(*std::get<0>(model), held);
    std::vector<bool> exploited;
    std::vector<double> cvss;
    for (const auto& c : held) {
      exploited.push_back(kev.contains(c.id));
      cvss.push_back(cvss_score(c));
    }
    e = evaluate(p, exploited, cvss);
  } else {
    training_options t;
    t.params = o.params;
    t.features = o.features;
    t.until = static_cast<int>(o.until);
    t.validate_from = static_cast<int>(o.validate_from);
    // Only the validation run is needed: train on the years before and measure.
    std::vector<cve_record> upto;
    for (auto& c : std::get<0>(cves))
      if (!o.until || cve_year(c.id) <= o.until)
        upto.push_back(std::move(c));
    auto trained = train_exploit_model(upto, kev, t, line.fn());
    line.finish();
    if (auto* why = std::get_if<std::string>(&trained)) {
      std::cerr << "qscan model: " << *why << "\n";
      return 1;
    }
    e = std::get<intel::trained>(trained).validation;
  }
  if (o.format == "json")
    std::cout << boost::json::serialize(to_json(*e)) << "\n";
  else
    print_evaluation(*e, std::cout);
  return 0;
}

int info(const std::vector<std::string>& positional) {
  std::shared_ptr<const exploit_model> model;
  if (positional.empty()) {
    model = exploit_model::shipped();
    if (!model) {
      std::cerr << "qscan model: this build has no shipped model\n";
      return 1;
    }
  } else {
    auto read = exploit_model::read(positional[0]);
    if (auto* why = std::get_if<std::string>(&read)) {
      std::cerr << "qscan model: " << *why << "\n";
      return 1;
    }
    model = std::get<0>(read);
  }
  std::cout << boost::json::serialize(model->meta()) << "\n";
  return 0;
}

int score(const model_options& o) {
  std::shared_ptr<const exploit_model> model;
  const int threads = o.params.threads ? o.params.threads : 0;
  if (o.model.empty()) {
    model = exploit_model::shipped();
    if (!model) {
      std::cerr << "qscan model: this build has no shipped model; give --model FILE\n";
      return 1;
    }
  } else {
    auto read = exploit_model::read(o.model, threads);
    if (auto* why = std::get_if<std::string>(&read)) {
      std::cerr << "qscan model: " << *why << "\n";
      return 1;
    }
    model = std::get<0>(read);
  }
  progress_line line;
  auto cves = feeds(o, line);
  if (auto* why = std::get_if<std::string>(&cves)) {
    std::cerr << "qscan model: " << *why << "\n";
    return 1;
  }
  const auto& list = std::get<0>(cves);
  const auto p = predict_cves(*model, list);
  std::string out = "cve_id,probability\n";
  char number_text[32];
  for (std::size_t i = 0; i < list.size(); ++i) {
    std::snprintf(number_text, sizeof number_text, ",%.9g\n", static_cast<double>(p[i]));
    out += list[i].id;
    out += number_text;
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return std::fflush(stdout) == 0 ? 0 : 1;
}

} // namespace

int run_model(const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    std::cout << usage;
    return args.empty() ? 2 : 0;
  }
  model_options o;
  std::vector<std::string> positional;
  if (auto why = parse_model_options(args, 1, o, positional); !why.empty())
    return usage_error(why);
  const auto& command = args[0];
  if (command == "info")
    return positional.size() <= 1 ? info(positional) : usage_error("info takes one file");
  if (!positional.empty())
    return usage_error("unexpected argument " + positional[0]);
  if (command == "train")
    return train(o);
  if (command == "eval")
    return eval(o);
  if (command == "score")
    return score(o);
  return usage_error("unknown command \"" + command + "\"");
}

} // namespace qs::nodes
