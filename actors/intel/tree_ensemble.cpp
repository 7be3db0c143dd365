#include "actors/intel/tree_ensemble.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

namespace qs::intel {

namespace {

const boost::json::array* numbers(const boost::json::object& tree, const char* key) {
  const auto* v = tree.if_contains(key);
  return v && v->is_array() ? &v->get_array() : nullptr;
}

double number(const boost::json::value& v) {
  if (v.is_number())
    return v.to_number<double>();
  if (v.is_string())
    return std::stod(std::string(v.get_string()));
  return 0;
}

} // namespace

std::optional<tree_ensemble> tree_ensemble::from_xgboost_json(std::string_view json) {
  boost::system::error_code ec;
  auto doc = boost::json::parse(json, ec);
  if (ec)
    return std::nullopt;
  const auto* learner = doc.is_object() ? doc.get_object().if_contains("learner") : nullptr;
  if (!learner || !learner->is_object())
    return std::nullopt;
  const auto& l = learner->get_object();
  try {
    if (l.at("objective").at("name") != "binary:logistic" ||
        l.at("gradient_booster").at("name") != "gbtree")
      return std::nullopt;
    tree_ensemble out;
    const double base = number(l.at("learner_model_param").at("base_score"));
    out.base_margin_ = std::log(base / (1 - base));
    for (const auto& t : l.at("gradient_booster").at("model").at("trees").as_array()) {
      const auto& tree = t.as_object();
      const auto* left = numbers(tree, "left_children");
      const auto* right = numbers(tree, "right_children");
      const auto* feature = numbers(tree, "split_indices");
      const auto* value = numbers(tree, "split_conditions");
      const auto* default_left = numbers(tree, "default_left");
      if (!left || !right || !feature || !value || !default_left)
        return std::nullopt;
      const auto offset = static_cast<std::int32_t>(out.nodes_.size());
      out.roots_.push_back(static_cast<std::uint32_t>(offset));
      for (std::size_t i = 0; i < left->size(); ++i) {
        const auto l_child = static_cast<std::int32_t>(number((*left)[i]));
        const auto r_child = static_cast<std::int32_t>(number((*right)[i]));
        const auto f = static_cast<std::uint32_t>(number((*feature)[i]));
        if (l_child >= 0 && f >= feature_count)
          return std::nullopt;
        out.nodes_.push_back(
            {l_child < 0 ? -1 : offset + l_child, r_child < 0 ? -1 : offset + r_child, f,
             static_cast<float>(number((*value)[i])), number((*default_left)[i]) != 0});
      }
    }
    // Pack the features the trees use into slots, so a row's dense copy is small.
    out.slot_of_.assign(feature_count, -1);
    for (auto& n : out.nodes_)
      if (n.left >= 0) {
        auto& slot = out.slot_of_[n.feature];
        if (slot < 0)
          slot = static_cast<std::int32_t>(out.slots_++);
        n.feature = static_cast<std::uint32_t>(slot);
      }
    return out;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

float tree_ensemble::predict(const feature_row& row, float offset) const {
  float out = 0;
  walk_block({row}, 0, 1, &offset, &out);
  return out;
}

std::vector<float> tree_ensemble::predict(const std::vector<feature_row>& rows,
                                          const std::vector<float>& offsets) const {
  std::vector<float> out(rows.size());
  const bool offset = offsets.size() == rows.size();
  for (std::size_t first = 0; first < rows.size(); first += block)
    walk_block(rows, first, std::min(block, rows.size() - first),
               offset ? offsets.data() + first : nullptr, out.data() + first);
  return out;
}

void tree_ensemble::walk_block(const std::vector<feature_row>& rows, std::size_t first,
                               std::size_t n, const float* offsets, float* out) const {
  constexpr float missing = std::numeric_limits<float>::quiet_NaN();
  // Dense copies of the rows over the used slots, NaN where missing.
  thread_local std::vector<float> dense;
  if (dense.size() < block * slots_)
    dense.assign(block * slots_, missing);
  for (std::size_t r = 0; r < n; ++r) {
    const auto& row = rows[first + r];
    float* d = dense.data() + r * slots_;
    for (std::size_t i = 0; i < row.index.size(); ++i)
      if (row.index[i] < feature_count)
        if (const auto slot = slot_of_[row.index[i]]; slot >= 0)
          d[slot] = row.value[i];
  }
  double margin[block];
  for (std::size_t r = 0; r < block; ++r)
    margin[r] = base_margin_ + (offsets && r < n ? offsets[r] : 0);
  const node* nodes = nodes_.data();
  const float* d = dense.data();
  for (auto root : roots_) {
    const node* at[block];
    for (std::size_t r = 0; r < block; ++r)
      at[r] = nodes + root;
    bool walking = true;
    while (walking) {
      walking = false;
      for (std::size_t r = 0; r < block; ++r) {
        const node* x = at[r];
        if (x->left < 0)
          continue;
        const float v = d[r * slots_ + x->feature];
        const bool left = std::isnan(v) ? x->default_left : v < x->value;
        at[r] = nodes + (left ? x->left : x->right);
        walking = true;
      }
    }
    for (std::size_t r = 0; r < block; ++r)
      margin[r] += at[r]->value;
  }
  for (std::size_t r = 0; r < n; ++r) {
    out[r] = static_cast<float>(1 / (1 + std::exp(-margin[r])));
    // Back to missing, only where this row wrote.
    float* row_dense = dense.data() + r * slots_;
    for (auto i : rows[first + r].index)
      if (i < feature_count)
        if (const auto slot = slot_of_[i]; slot >= 0)
          row_dense[slot] = missing;
  }
}

} // namespace qs::intel
