#include "actors/intel/token_lift.hpp"
#include "actors/intel/feature_layout.hpp"

#include <algorithm>
#include <cmath>

namespace qs::intel {

namespace {

// Where the hashed groups lie (see feature_layout.hpp) and where the
// aggregates go, in the named block.
struct group {
  std::uint32_t from, to;
};
constexpr group cwe_group{layout::cwe_hash_base, layout::vendor_base},
    vendor_group{layout::vendor_base, layout::product_base},
    product_group{layout::product_base, layout::word_base},
    word_group{layout::word_base, layout::end};
constexpr std::uint32_t vendor_max = layout::lift_vendor_max,
                        product_max = layout::lift_product_max, word_sum = layout::lift_word_sum,
                        word_max = layout::lift_word_max, word_min = layout::lift_word_min,
                        cwe_max = layout::lift_cwe_max, vendor_seen = layout::seen_vendor,
                        product_seen = layout::seen_product,
                        vendor_exploited = layout::exploited_vendor,
                        product_exploited = layout::exploited_product;
const char* const aggregate_names[] = {
    "lift:vendor_max",       "lift:product_max",      "lift:word_sum",    "lift:word_max",
    "lift:word_min",         "lift:cwe_max",          "seen:vendor_cves", "seen:product_cves",
    "seen:vendor_exploited", "seen:product_exploited"};

bool in(const group& g, std::uint32_t i) {
  return i >= g.from && i < g.to;
}
bool learned(std::uint32_t i) {
  return i >= cwe_group.from;
}

} // namespace

token_lift token_lift::fit(const std::vector<const feature_row*>& rows,
                           const std::vector<bool>& labels, double smoothing,
                           const std::vector<float>& weights) {
  std::vector<std::uint32_t> count(feature_count, 0), exploited(feature_count, 0);
  std::vector<double> weight(feature_count, 0), positive(feature_count, 0);
  double positives = 0, total = 0;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const double w = weights.size() == rows.size() ? weights[r] : 1.0;
    positives += w * labels[r];
    total += w;
    for (auto i : rows[r]->index)
      if (learned(i)) {
        ++count[i];
        exploited[i] += labels[r];
        weight[i] += w;
        positive[i] += w * labels[r];
      }
  }
  token_lift out;
  out.lift_.assign(feature_count, 0);
  out.seen_.assign(feature_count, 0);
  out.exploited_.assign(feature_count, 0);
  for (std::uint32_t i = 0; i < feature_count; ++i) {
    out.seen_[i] = static_cast<float>(std::log1p(count[i]));
    out.exploited_[i] = static_cast<float>(std::log1p(exploited[i]));
  }
  if (rows.empty() || positives == 0)
    return out;
  const double prior = positives / total;
  for (std::uint32_t i = 0; i < feature_count; ++i)
    if (count[i]) {
      const double rate = (positive[i] + smoothing * prior) / (weight[i] + smoothing);
      out.lift_[i] = static_cast<float>(std::log(rate / prior));
    }
  return out;
}

feature_row token_lift::augment(const feature_row& row, feature_labels* labels) const {
  if (lift_.empty())
    return row;
  float v_max = -1e9f, p_max = -1e9f, w_sum = 0, w_max = -1e9f, w_min = 1e9f, c_max = -1e9f;
  float v_seen = 0, p_seen = 0, v_exploited = 0, p_exploited = 0;
  const bool counts = !exploited_.empty();
  bool any_v = false, any_p = false, any_w = false, any_c = false;
  for (auto i : row.index) {
    const float l = i < lift_.size() ? lift_[i] : 0;
    const float seen = i < seen_.size() ? seen_[i] : 0;
    const float hits = counts && i < exploited_.size() ? exploited_[i] : 0;
    if (in(vendor_group, i)) {
      v_max = std::max(v_max, l), v_seen = std::max(v_seen, seen), any_v = true;
      v_exploited = std::max(v_exploited, hits);
    } else if (in(product_group, i)) {
      p_max = std::max(p_max, l), p_seen = std::max(p_seen, seen), any_p = true;
      p_exploited = std::max(p_exploited, hits);
    } else if (in(word_group, i)) {
      w_sum += l, w_max = std::max(w_max, l), w_min = std::min(w_min, l), any_w = true;
    } else if (in(cwe_group, i)) {
      c_max = std::max(c_max, l), any_c = true;
    }
  }
  std::vector<std::pair<std::uint32_t, float>> extra;
  if (any_v)
    extra.emplace_back(vendor_max, v_max);
  if (any_p)
    extra.emplace_back(product_max, p_max);
  if (any_w) {
    extra.emplace_back(word_sum, w_sum);
    extra.emplace_back(word_max, w_max);
    extra.emplace_back(word_min, w_min);
  }
  if (any_c)
    extra.emplace_back(cwe_max, c_max);
  if (any_v)
    extra.emplace_back(vendor_seen, v_seen);
  if (any_p)
    extra.emplace_back(product_seen, p_seen);
  if (any_v && counts)
    extra.emplace_back(vendor_exploited, v_exploited);
  if (any_p && counts)
    extra.emplace_back(product_exploited, p_exploited);
  // Merge: the aggregates sit in the named block, before every hashed index.
  feature_row out;
  out.index.reserve(row.index.size() + extra.size());
  out.value.reserve(row.index.size() + extra.size());
  feature_labels names;
  std::size_t k = 0;
  auto put_extra = [&](std::uint32_t below) {
    while (k < extra.size() && extra[k].first < below) {
      out.index.push_back(extra[k].first);
      out.value.push_back(extra[k].second);
      if (labels)
        names.push_back(aggregate_names[extra[k].first - vendor_max]);
      ++k;
    }
  };
  for (std::size_t i = 0; i < row.index.size(); ++i) {
    put_extra(row.index[i]);
    if (k < extra.size() && extra[k].first == row.index[i])
      ++k; // a slot the row already has keeps its own value
    out.index.push_back(row.index[i]);
    out.value.push_back(row.value[i]);
    if (labels)
      names.push_back(i < labels->size() ? (*labels)[i] : std::string());
  }
  put_extra(feature_count);
  if (labels)
    *labels = std::move(names);
  return out;
}

std::vector<feature_row> token_lift::out_of_fold(const std::vector<const feature_row*>& rows,
                                                 const std::vector<bool>& labels, int folds,
                                                 double smoothing,
                                                 const std::vector<float>& weights) {
  const auto n = static_cast<std::size_t>(folds);
  std::vector<feature_row> out(rows.size());
  for (std::size_t f = 0; f < n; ++f) {
    std::vector<const feature_row*> others;
    std::vector<bool> other_labels;
    std::vector<float> other_weights;
    for (std::size_t r = 0; r < rows.size(); ++r)
      if (r % n != f) {
        others.push_back(rows[r]);
        other_labels.push_back(labels[r]);
        if (weights.size() == rows.size())
          other_weights.push_back(weights[r]);
      }
    const auto lift = fit(others, other_labels, smoothing, other_weights);
    for (std::size_t r = f; r < rows.size(); r += n)
      out[r] = lift.augment(*rows[r]);
  }
  return out;
}

boost::json::object token_lift::to_json() const {
  boost::json::array index, value, seen, exploited;
  for (std::uint32_t i = 0; i < lift_.size(); ++i)
    if (lift_[i] != 0 || seen_[i] != 0) {
      index.push_back(i);
      value.push_back(static_cast<double>(lift_[i]));
      seen.push_back(static_cast<double>(seen_[i]));
      if (!exploited_.empty())
        exploited.push_back(static_cast<double>(exploited_[i]));
    }
  boost::json::object out{
      {"index", std::move(index)}, {"log_lift", std::move(value)}, {"log_seen", std::move(seen)}};
  if (!exploited_.empty())
    out["log_exploited"] = std::move(exploited);
  return out;
}

bool token_lift::from_json(const boost::json::value& v, token_lift& out) {
  const auto* o = v.if_object();
  const auto* index = o ? o->if_contains("index") : nullptr;
  const auto* value = o ? o->if_contains("log_lift") : nullptr;
  const auto* seen = o ? o->if_contains("log_seen") : nullptr;
  // Absent from the files of models before step 8: they never read these counts.
  const auto* exploited = o ? o->if_contains("log_exploited") : nullptr;
  if (!index || !value || !seen || !index->is_array() || !value->is_array() || !seen->is_array() ||
      index->get_array().size() != value->get_array().size() ||
      index->get_array().size() != seen->get_array().size() ||
      (exploited &&
       (!exploited->is_array() || exploited->get_array().size() != index->get_array().size())))
    return false;
  out.lift_.assign(feature_count, 0);
  out.seen_.assign(feature_count, 0);
  out.exploited_.assign(exploited ? feature_count : 0, 0);
  for (std::size_t k = 0; k < index->get_array().size(); ++k) {
    const auto& i = index->get_array()[k];
    const auto& l = value->get_array()[k];
    const auto& n = seen->get_array()[k];
    if (!i.is_number() || !l.is_number() || !n.is_number())
      return false;
    const auto at = i.to_number<double>();
    if (at < 0 || at >= feature_count)
      return false;
    out.lift_[static_cast<std::size_t>(at)] = static_cast<float>(l.to_number<double>());
    out.seen_[static_cast<std::size_t>(at)] = static_cast<float>(n.to_number<double>());
    if (exploited) {
      const auto& x = exploited->get_array()[k];
      if (!x.is_number())
        return false;
      out.exploited_[static_cast<std::size_t>(at)] = static_cast<float>(x.to_number<double>());
    }
  }
  return true;
}

} // namespace qs::intel
