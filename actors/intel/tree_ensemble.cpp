#include "actors/intel/tree_ensemble.hpp"

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
    return out;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

float tree_ensemble::predict(const feature_row& row) const {
  // A dense copy of the row, NaN where a feature is missing; reset after use.
  thread_local std::vector<float> dense(feature_count, std::numeric_limits<float>::quiet_NaN());
  for (std::size_t i = 0; i < row.index.size(); ++i)
    dense[row.index[i]] = row.value[i];
  double margin = base_margin_;
  for (auto root : roots_) {
    const node* n = &nodes_[root];
    while (n->left >= 0) {
      const float v = dense[n->feature];
      const bool go_left = std::isnan(v) ? n->default_left : v < n->value;
      n = &nodes_[static_cast<std::size_t>(go_left ? n->left : n->right)];
    }
    margin += n->value;
  }
  for (auto i : row.index)
    dense[i] = std::numeric_limits<float>::quiet_NaN();
  return static_cast<float>(1 / (1 + std::exp(-margin)));
}

} // namespace qs::intel
