#include "actors/intel/booster.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <mutex>

#include <xgboost/c_api.h>

namespace qs::intel {

struct booster::handle {
  BoosterHandle h = nullptr;
  std::mutex dmatrix_mutex;
  ~handle() {
    if (h)
      XGBoosterFree(h);
  }
};

namespace {

std::string last_error() {
  const char* e = XGBGetLastError();
  return std::string("XGBoost: ") + (e ? e : "unknown error");
}

/// An __array_interface__ for a host array, as XGBoost's in-place API reads it.
template<class T> std::string array_interface(const T* data, std::size_t n, const char* type) {
  char out[160];
  std::snprintf(out, sizeof out,
                R"({"data": [%llu, true], "shape": [%zu], "typestr": "%s", "version": 3})",
                static_cast<unsigned long long>(reinterpret_cast<std::uintptr_t>(data)), n, type);
  return out;
}

struct dmatrix {
  DMatrixHandle h = nullptr;
  ~dmatrix() {
    if (h)
      XGDMatrixFree(h);
  }
};

bool set(BoosterHandle h, const char* key, const std::string& value) {
  return XGBoosterSetParam(h, key, value.c_str()) == 0;
}

} // namespace

void sparse_matrix::add(const feature_row& row, float label) {
  indices.insert(indices.end(), row.index.begin(), row.index.end());
  values.insert(values.end(), row.value.begin(), row.value.end());
  indptr.push_back(indices.size());
  labels.push_back(label);
}

std::variant<booster, std::string> booster::train(const sparse_matrix& data, const train_params& p,
                                                  const progress& on_round) {
  if (data.rows() == 0)
    return std::string("no rows to train on");
  std::vector<std::size_t> indptr(data.indptr.begin(), data.indptr.end());
  std::vector<unsigned> indices(data.indices.begin(), data.indices.end());
  dmatrix train;
  if (XGDMatrixCreateFromCSREx(indptr.data(), indices.data(), data.values.data(), indptr.size(),
                               data.values.size(), feature_count, &train.h) != 0 ||
      XGDMatrixSetFloatInfo(train.h, "label", data.labels.data(), data.labels.size()) != 0 ||
      (data.weights.size() == data.rows() &&
       XGDMatrixSetFloatInfo(train.h, "weight", data.weights.data(), data.weights.size()) != 0))
    return last_error();
  double positives = 0;
  for (float l : data.labels)
    positives += l;
  const double rate = std::clamp(positives / static_cast<double>(data.rows()), 1e-4, 0.5);
  // With offsets, XGBoost starts each row from its base margin instead of the
  // base score: the base rate's log-odds plus the row's offset.
  std::vector<float> base_margin;
  if (data.margin_offset.size() == data.rows()) {
    const double logit = std::log(rate / (1 - rate));
    for (float o : data.margin_offset)
      base_margin.push_back(static_cast<float>(logit + o));
    if (XGDMatrixSetFloatInfo(train.h, "base_margin", base_margin.data(), base_margin.size()) != 0)
      return last_error();
  }
  auto out = std::make_shared<handle>();
  if (XGBoosterCreate(&train.h, 1, &out->h) != 0)
    return last_error();
  auto n = [](double v) { return std::to_string(v); };
  const bool ok =
      set(out->h, "booster", p.booster) && set(out->h, "objective", "binary:logistic") &&
      set(out->h, "base_score", n(rate)) && set(out->h, "eta", n(p.eta)) &&
      set(out->h, "lambda", n(p.lambda)) && set(out->h, "nthread", std::to_string(p.threads)) &&
      set(out->h, "seed", std::to_string(p.seed)) && set(out->h, "verbosity", "0") &&
      (p.booster != "gbtree" || (set(out->h, "tree_method", "hist") &&
                                 set(out->h, "max_depth", std::to_string(p.max_depth)) &&
                                 set(out->h, "subsample", n(p.subsample)) &&
                                 set(out->h, "colsample_bytree", n(p.colsample_bytree)) &&
                                 set(out->h, "min_child_weight", n(p.min_child_weight)) &&
                                 set(out->h, "scale_pos_weight", n(p.scale_pos_weight))));
  if (!ok)
    return last_error();
  for (int round = 0; round < p.rounds; ++round) {
    if (p.stop && p.stop->load())
      return std::string("training stopped");
    if (XGBoosterUpdateOneIter(out->h, round, train.h) != 0)
      return last_error();
    if (on_round)
      on_round(round + 1, p.rounds);
  }
  // Predictions from this booster use one thread each, like a loaded one.
  set(out->h, "nthread", "1");
  return booster(std::move(out));
}

std::variant<booster, std::string> booster::load(std::string_view model_json, int threads) {
  auto out = std::make_shared<handle>();
  if (XGBoosterCreate(nullptr, 0, &out->h) != 0 ||
      XGBoosterLoadModelFromBuffer(out->h, model_json.data(), model_json.size()) != 0 ||
      !set(out->h, "nthread", std::to_string(threads)))
    return last_error();
  bst_ulong features = 0;
  if (XGBoosterGetNumFeature(out->h, &features) != 0)
    return last_error();
  if (features > feature_count)
    return "the model reads " + std::to_string(features) + " features; this build has " +
           std::to_string(feature_count);
  return booster(std::move(out));
}

std::string booster::save() const {
  bst_ulong length = 0;
  const char* bytes = nullptr;
  if (XGBoosterSaveModelToBuffer(handle_->h, R"({"format": "json"})", &length, &bytes) != 0)
    return {};
  return std::string(bytes, length);
}

std::vector<float> booster::run(const sparse_matrix& rows, int type, std::size_t per_row) const {
  if (rows.rows() == 0)
    return {};
  const auto indptr = array_interface(rows.indptr.data(), rows.indptr.size(), "<u8");
  const auto indices = array_interface(rows.indices.data(), rows.indices.size(), "<u4");
  const auto values = array_interface(rows.values.data(), rows.values.size(), "<f4");
  const std::string config = R"({"type": )" + std::to_string(type) +
                             R"(, "training": false, "iteration_begin": 0, "iteration_end": 0, )"
                             R"("strict_shape": false, "missing": NaN, "cache_id": 0})";
  const bst_ulong* shape = nullptr;
  bst_ulong dims = 0;
  const float* result = nullptr;
  if (XGBoosterPredictFromCSR(handle_->h, indptr.c_str(), indices.c_str(), values.c_str(),
                              feature_count, config.c_str(), nullptr, &shape, &dims,
                              &result) != 0) {
    // gblinear has no in-place prediction: through a DMatrix (one thread at a time).
    std::lock_guard<std::mutex> guard(handle_->dmatrix_mutex);
    std::vector<std::size_t> p(rows.indptr.begin(), rows.indptr.end());
    std::vector<unsigned> i(rows.indices.begin(), rows.indices.end());
    dmatrix m;
    if (XGDMatrixCreateFromCSREx(p.data(), i.data(), rows.values.data(), p.size(),
                                 rows.values.size(), feature_count, &m.h) != 0 ||
        XGBoosterPredictFromDMatrix(handle_->h, m.h, config.c_str(), &shape, &dims, &result) != 0)
      return {};
    return std::vector<float>(result, result + rows.rows() * per_row);
  }
  return std::vector<float>(result, result + rows.rows() * per_row);
}

std::vector<float> booster::predict(const sparse_matrix& rows) const {
  if (rows.margin_offset.size() != rows.rows())
    return run(rows, 0, 1);
  // Margins (type 1), the offsets added, then the logistic.
  auto out = run(rows, 1, 1);
  for (std::size_t i = 0; i < out.size(); ++i)
    out[i] = static_cast<float>(1 / (1 + std::exp(-(out[i] + rows.margin_offset[i]))));
  return out;
}

std::vector<float> booster::contributions(const feature_row& row) const {
  sparse_matrix one;
  one.add(row);
  return run(one, 2, feature_count + 1);
}

} // namespace qs::intel
