#include "actors/intel/learned_threat_model.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <unordered_map>

#include "actors/analytics/finding_threats.hpp"
#include "protocol/timestamp.hpp"

namespace qs::intel {

namespace {

struct bin {
  double low, high, quality;
};

/// Per reliability bin: how well predicted and observed agree (0..1).
std::vector<bin> calibration_of(const boost::json::object& meta) {
  std::vector<bin> out;
  const auto* v = meta.if_contains("validation");
  const auto* table = v && v->is_object() ? v->get_object().if_contains("reliability") : nullptr;
  if (!table || !table->is_array())
    return out;
  for (const auto& b : table->get_array()) {
    const auto* o = b.if_object();
    if (!o)
      continue;
    auto num = [&](const char* k) {
      const auto* x = o->if_contains(k);
      return x && x->is_number() ? x->to_number<double>() : 0.0;
    };
    const double predicted = num("mean_predicted"), observed = num("observed");
    const double top = std::max(predicted, observed);
    const double quality = num("count") < 30 || top == 0
                               ? 0.5
                               : 1 - std::min(1.0, std::fabs(observed - predicted) / top);
    out.push_back({num("from"), num("to"), quality});
  }
  return out;
}

/// Probabilities are often far below 0.0001: six significant digits, not four decimals.
double six_digits(double p) {
  char text[32];
  std::snprintf(text, sizeof text, "%.6g", p);
  return std::strtod(text, nullptr);
}

double knowledge(const protocol::vulnerability& v, bool catalogued,
                 const analytics::algorithm_assessment* a) {
  if (catalogued)
    return 1;
  double k = 0.3;
  k += v.cvss_vector.empty() ? 0 : 0.2;
  k += v.cvss_score ? 0.15 : 0;
  k += v.cwe_id.empty() && v.swc_id.empty() ? 0 : 0.15;
  k += v.type.empty() && v.title.empty() ? 0 : 0.1;
  k += a && a->recognised ? 0.1 : 0;
  return std::min(k, 1.0);
}

/// Two independent 64-bit hashes of every field a finding's features read.
struct memo_key {
  std::uint64_t a, b;
  bool operator==(const memo_key& o) const { return a == o.a && b == o.b; }
};
struct memo_hash {
  std::size_t operator()(const memo_key& k) const { return static_cast<std::size_t>(k.a); }
};
struct memo {
  std::uint64_t owner = 0; ///< the model instance the entries belong to
  std::unordered_map<memo_key, float, memo_hash> known;
};
constexpr std::size_t max_memo = 100000; // per thread; cleared whole past it

memo_key key_of(const protocol::vulnerability& v) {
  std::uint64_t a = 1469598103934665603ull, b = 0x9e3779b97f4a7c15ull;
  auto mix = [&](std::string_view s) {
    for (unsigned char c : s) {
      a = (a ^ c) * 1099511628211ull;
      b = (b + c) * 0xff51afd7ed558ccdull;
      b ^= b >> 29;
    }
    a = (a ^ 0xff) * 1099511628211ull; // a field separator no byte of text is
    b = (b + 0x1ff) * 0xc4ceb9fe1a85ec53ull;
  };
  auto number = [&](const std::optional<double>& x) {
    char text[32] = "none";
    if (x)
      std::snprintf(text, sizeof text, "%.17g", *x);
    mix(text);
  };
  mix(v.type), mix(protocol::to_string(v.level)), mix(v.algorithm), mix(v.cwe_id);
  mix(v.cve_id), mix(v.cvss_vector), mix(v.swc_id), mix(v.title);
  number(v.cvss_score), number(v.confidence);
  return {a, b};
}

class learned_threat_model final : public analytics::threat_model {
public:
  learned_threat_model(std::shared_ptr<const exploit_model> model,
                       std::shared_ptr<const cve_snapshot> cves, bool kev_lookup)
      : model_(std::move(model)),
        cves_(cves ? std::move(cves) : std::make_shared<const cve_snapshot>()),
        kev_lookup_(kev_lookup), calibration_(calibration_of(model_->meta())) {}

  /// Never reused, unlike an address: a memo never outlives its model.
  static std::uint64_t next_instance() {
    static std::atomic<std::uint64_t> count{0};
    return ++count;
  }

  protocol::prediction predict(const protocol::scan_result& result) const override {
    return predict_batch({&result}).front();
  }

  std::vector<protocol::prediction>
  predict_batch(const std::vector<const protocol::scan_result*>& results) const override {
    // Findings repeat (every scan of an asset reports mostly the same ones): a
    // probability is a function of the finding's fields, remembered per thread
    // for this model. Misses go to the trees in one call.
    thread_local memo cache;
    if (cache.owner != instance_) {
      cache.owner = instance_;
      cache.known.clear();
    }
    if (cache.known.size() > max_memo)
      cache.known.clear();
    std::vector<float> p;
    std::vector<const cve_entry*> known;
    std::vector<feature_row> rows;
    std::vector<std::pair<std::size_t, memo_key>> missing;
    for (const auto* r : results)
      for (const auto& v : r->vulnerabilities) {
        const cve_entry* entry = v.cve_id.empty() ? nullptr : cves_->find(v.cve_id);
        known.push_back(entry);
        const auto key = key_of(v);
        if (auto it = cache.known.find(key); it != cache.known.end()) {
          p.push_back(it->second);
          continue;
        }
        missing.emplace_back(p.size(), key);
        p.push_back(0);
        rows.push_back(finding_features(v, entry ? &entry->record : nullptr));
      }
    if (!rows.empty()) {
      const auto fresh = model_->predict(rows);
      for (std::size_t i = 0; i < missing.size(); ++i) {
        p[missing[i].first] = fresh[i];
        cache.known.emplace(missing[i].second, fresh[i]);
      }
    }
    std::vector<protocol::prediction> out;
    out.reserve(results.size());
    std::size_t at = 0;
    const auto now = protocol::now_iso8601();
    for (const auto* r : results) {
      out.push_back(answer(*r, p, known, at, now));
      at += r->vulnerabilities.size();
    }
    return out;
  }

  analytics::model_info info() const override {
    const auto& meta = model_->meta();
    analytics::model_info i;
    i.name = "learned_threat_model";
    i.version = model_->version();
    i.kind = "gradient-boosted-trees";
    i.description = "Per-finding probability of exploitation (XGBoost on NVD features at "
                    "publication, labelled by CISA KEV); an asset's threat is the probability "
                    "that any finding is exploited.";
    if (const auto* t = meta.if_contains("trained_at"); t && t->is_string())
      i.last_trained = std::string(t->get_string());
    const auto* v = meta.if_contains("validation");
    if (v && v->is_object())
      if (const auto* auc = v->get_object().if_contains("auc"); auc && auc->is_number())
        i.accuracy = auc->to_number<double>();
    for (const char* key : {"training", "validation"})
      if (const auto* x = meta.if_contains(key))
        i.details[key] = *x;
    i.details["catalogued_cves"] = cves_->by_id.size();
    i.details["kev_lookup"] = kev_lookup_;
    return i;
  }

private:
  double calibration(double p) const {
    for (const auto& b : calibration_)
      if (p >= b.low && p < b.high)
        return b.quality;
    return 0.5;
  }

  protocol::prediction answer(const protocol::scan_result& r, const std::vector<float>& p,
                              const std::vector<const cve_entry*>& known, std::size_t at,
                              const std::string& now) const {
    protocol::prediction out;
    out.predicted_at = now;
    out.model_version = model_->version();
    const auto& findings = r.vulnerabilities;
    if (findings.empty()) {
      out.threat_score = 0;
      out.confidence = 0.5;
      out.mitigation_steps = {"No findings reported; keep scanning regularly"};
      return out;
    }
    struct ranked {
      double p;
      std::vector<std::string> steps;
    };
    std::vector<ranked> order;
    double survive = 1, trust = 0;
    for (std::size_t i = 0; i < findings.size(); ++i) {
      const auto& v = findings[i];
      const cve_entry* entry = known[at + i];
      analytics::algorithm_ref a;
      if (!v.algorithm.empty())
        a = analytics::assess_algorithm_cached(v.algorithm);
      protocol::finding_prediction f;
      f.cve_id = v.cve_id;
      f.catalogued = entry != nullptr;
      f.known_exploited = kev_lookup_ && entry && entry->in_kev;
      double prob = f.known_exploited ? 1.0 : static_cast<double>(p[at + i]);
      f.exploit_probability = six_digits(prob);
      survive *= 1 - prob;
      trust += (f.known_exploited ? 1.0 : calibration(prob)) * knowledge(v, f.catalogued, a.get());
      std::vector<std::string> steps;
      if (f.known_exploited) {
        out.threat_types.insert(out.threat_types.begin(), "known_exploited");
        steps.push_back(
            v.cve_id + " is in CISA's Known Exploited Vulnerabilities catalogue" +
            (entry->kev_date_added.empty() ? std::string() : " since " + entry->kev_date_added) +
            ": patch it first");
      }
      analytics::append_unique(out.threat_types, analytics::finding_threat_types(v, a.get()));
      auto more = analytics::finding_mitigations(v, a.get());
      steps.insert(steps.end(), more.begin(), more.end());
      order.push_back({prob, std::move(steps)});
      out.findings.push_back(std::move(f));
    }
    std::vector<std::string> unique_types;
    analytics::append_unique(unique_types, out.threat_types);
    out.threat_types = std::move(unique_types);
    std::stable_sort(order.begin(), order.end(),
                     [](const ranked& x, const ranked& y) { return x.p > y.p; });
    for (const auto& o : order)
      analytics::append_unique(out.mitigation_steps, o.steps);
    out.threat_score = protocol::round_score(1 - survive);
    out.confidence =
        protocol::round_score(0.3 + 0.65 * trust / static_cast<double>(findings.size()));
    return out;
  }

  std::shared_ptr<const exploit_model> model_;
  std::shared_ptr<const cve_snapshot> cves_;
  bool kev_lookup_;
  std::vector<bin> calibration_;
  const std::uint64_t instance_ = next_instance();
};

} // namespace

std::unique_ptr<analytics::threat_model>
make_learned_threat_model(std::shared_ptr<const exploit_model> model,
                          std::shared_ptr<const cve_snapshot> cves, bool kev_lookup) {
  return std::make_unique<learned_threat_model>(std::move(model), std::move(cves), kev_lookup);
}

} // namespace qs::intel
