#include "nodes/model_command.hpp"

#include <charconv>
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

struct options {
  std::vector<std::string> nvd;
  std::string kev, out, model, format = "table", predictions;
  long long until = 0, validate_from = 0;
  bool validate_given = false, rolling = false, without_v2 = false, without_cpe = false;
  long long first_origin = 2009;
  std::vector<int> horizons{1, 4};
  train_params params;
  feature_set features = default_features();
};

template<class T> bool number(const std::string& text, T& out) {
  if constexpr (std::is_floating_point_v<T>) {
    try {
      std::size_t used = 0;
      out = static_cast<T>(std::stod(text, &used));
      return used == text.size();
    } catch (const std::exception&) {
      return false;
    }
  } else {
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc{} && end == text.data() + text.size();
  }
}

/// Reads the options after the subcommand; "" when fine, else the problem.
std::string parse(const std::vector<std::string>& args, std::size_t from, options& o,
                  std::vector<std::string>& positional) {
  for (std::size_t i = from; i < args.size(); ++i) {
    const auto& a = args[i];
    auto value = [&](std::string& into) {
      if (i + 1 >= args.size())
        return false;
      into = args[++i];
      return true;
    };
    std::string v;
    auto numeric = [&](auto& into) { return value(v) && number(v, into); };
    if (a == "--nvd") {
      while (i + 1 < args.size() && args[i + 1].rfind("--", 0) != 0)
        o.nvd.push_back(args[++i]);
      if (o.nvd.empty())
        return "--nvd needs at least one feed file or folder";
    } else if (a == "--kev") {
      if (!value(o.kev))
        return "--kev needs a file";
    } else if (a == "--out") {
      if (!value(o.out))
        return "--out needs a file";
    } else if (a == "--predictions") {
      if (!value(o.predictions))
        return "--predictions needs a file";
    } else if (a == "--model") {
      if (!value(o.model))
        return "--model needs a file";
    } else if (a == "--format") {
      if (!value(o.format) || (o.format != "table" && o.format != "json"))
        return "--format is table or json";
    } else if (a == "--until") {
      if (!numeric(o.until) || o.until < 1999 || o.until > 2100)
        return "--until needs a year";
    } else if (a == "--validate-from") {
      if (!numeric(o.validate_from) || o.validate_from < 2000 || o.validate_from > 2100)
        return "--validate-from needs a year";
      o.validate_given = true;
    } else if (a == "--rolling") {
      o.rolling = true;
    } else if (a == "--without-v2") {
      o.without_v2 = true;
    } else if (a == "--without-cpe") {
      o.without_cpe = true;
    } else if (a == "--first-origin") {
      if (!numeric(o.first_origin) || o.first_origin < 1999 || o.first_origin > 2100)
        return "--first-origin needs a year";
    } else if (a == "--horizons") {
      if (!value(v))
        return "--horizons needs a list of years ahead, like 1,4";
      o.horizons.clear();
      for (std::size_t at = 0; at <= v.size();) {
        auto comma = std::min(v.find(',', at), v.size());
        int h = 0;
        if (!number(v.substr(at, comma - at), h) || h < 1 || h > 50)
          return "--horizons needs a list of years ahead, like 1,4";
        o.horizons.push_back(h);
        at = comma + 1;
      }
    } else if (a == "--features") {
      if (!value(v))
        return "--features needs a list of feature groups";
      auto set = feature_set::parse(v);
      if (auto* why = std::get_if<std::string>(&set))
        return "--features: " + *why;
      o.features = std::get<feature_set>(set);
    } else if (a == "--booster") {
      if (!value(o.params.booster) ||
          (o.params.booster != "gbtree" && o.params.booster != "gblinear"))
        return "--booster is gbtree or gblinear";
    } else if (a == "--rounds") {
      if (!numeric(o.params.rounds) || o.params.rounds < 1 || o.params.rounds > 10000)
        return "--rounds needs a number from 1 to 10000";
    } else if (a == "--max-depth") {
      if (!numeric(o.params.max_depth) || o.params.max_depth < 1 || o.params.max_depth > 16)
        return "--max-depth needs a number from 1 to 16";
    } else if (a == "--eta") {
      if (!numeric(o.params.eta) || o.params.eta <= 0 || o.params.eta > 1)
        return "--eta needs a number in (0, 1]";
    } else if (a == "--subsample") {
      if (!numeric(o.params.subsample) || o.params.subsample <= 0 || o.params.subsample > 1)
        return "--subsample needs a number in (0, 1]";
    } else if (a == "--colsample") {
      if (!numeric(o.params.colsample_bytree) || o.params.colsample_bytree <= 0 ||
          o.params.colsample_bytree > 1)
        return "--colsample needs a number in (0, 1]";
    } else if (a == "--min-child-weight") {
      if (!numeric(o.params.min_child_weight) || o.params.min_child_weight < 0)
        return "--min-child-weight needs a number of at least 0";
    } else if (a == "--lambda") {
      if (!numeric(o.params.lambda) || o.params.lambda < 0)
        return "--lambda needs a number of at least 0";
    } else if (a == "--scale-pos-weight") {
      if (!numeric(o.params.scale_pos_weight) || o.params.scale_pos_weight <= 0)
        return "--scale-pos-weight needs a number above 0";
    } else if (a == "--half-life") {
      if (!numeric(o.params.half_life) || o.params.half_life < 0)
        return "--half-life needs a number of years (0: off)";
    } else if (a == "--lift-smoothing") {
      if (!numeric(o.params.lift_smoothing) || o.params.lift_smoothing <= 0)
        return "--lift-smoothing needs a number above 0";
    } else if (a == "--lift-half-life") {
      if (!numeric(o.params.lift_half_life) || o.params.lift_half_life < 0)
        return "--lift-half-life needs a number of years (0: off)";
    } else if (a == "--cvss-slope") {
      if (!numeric(o.params.cvss_slope) || o.params.cvss_slope < 0 || o.params.cvss_slope > 5)
        return "--cvss-slope needs a number from 0 to 5";
    } else if (a == "--cvss-prior-after") {
      o.params.cvss_prior_in_training = false;
    } else if (a == "--seed") {
      if (!numeric(o.params.seed))
        return "--seed needs a number";
    } else if (a == "--threads") {
      if (!numeric(o.params.threads) || o.params.threads < 0 || o.params.threads > 256)
        return "--threads needs a number from 0 to 256";
    } else if (a.rfind("--", 0) == 0) {
      return "unknown option " + a;
    } else {
      positional.push_back(a);
    }
  }
  return {};
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

std::variant<std::vector<cve_record>, std::string> feeds(const options& o, progress_line& line) {
  if (o.nvd.empty())
    return std::string("--nvd is required");
  auto read = read_feeds(o.nvd, line.fn());
  line.finish();
  return read;
}

int load_kev(const options& o, kev_catalog& into) {
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

int train(const options& o) {
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

int rolling(const options& o) {
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

int eval(options o) {
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

int score(const options& o) {
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
  options o;
  std::vector<std::string> positional;
  if (auto why = parse(args, 1, o, positional); !why.empty())
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
