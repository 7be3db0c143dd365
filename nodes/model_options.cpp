#include "nodes/model_options.hpp"

#include <charconv>
#include <exception>
#include <type_traits>

namespace qs::nodes {

using namespace qs::intel;

namespace {

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

} // namespace

std::string parse_model_options(const std::vector<std::string>& args, std::size_t from,
                                model_options& o, std::vector<std::string>& positional) {
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

} // namespace qs::nodes
