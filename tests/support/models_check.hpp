// The model-version and labelled-example storage contract, checked the same way
// on every back-end.
#pragma once

#include <catch2/catch.hpp>

#include "runtime/storage/storage.hpp"

namespace qs::test {

inline void check_models_and_examples(runtime::storage::storage& db) {
  using namespace runtime::storage;
  auto none = db.latest_model("threat_predictor");
  REQUIRE(none);
  CHECK_FALSE(none->has_value());
  // Model bytes are binary (gzip): NUL and high bytes survive.
  const std::string bytes("\x1f\x8b\x00\xff model \x00 bytes", 18);
  REQUIRE(db.store_model({"xgb-1", "threat_predictor", "2026-12-01T10:00:00.000000+00:00",
                          R"({"validation":{"auc":0.88}})", bytes}));
  REQUIRE(db.store_model({"xgb-2", "threat_predictor", "2026-12-02T10:00:00.000000+00:00",
                          R"({"validation":{"auc":0.89}})", bytes + "2"}));
  // A version stored again is a no-op.
  REQUIRE(db.store_model(
      {"xgb-1", "threat_predictor", "2026-12-03T10:00:00.000000+00:00", "{}", "other"}));
  auto latest = db.latest_model("threat_predictor");
  REQUIRE(latest);
  REQUIRE(latest->has_value());
  CHECK((*latest)->version == "xgb-2");
  CHECK((*latest)->model == bytes + "2");
  CHECK((*latest)->metrics == R"({"validation":{"auc":0.89}})");
  auto list = db.list_models("threat_predictor");
  REQUIRE(list);
  REQUIRE(list->size() == 2);
  CHECK((*list)[0].version == "xgb-2");
  CHECK((*list)[1].version == "xgb-1");
  CHECK((*list)[1].model.empty()); // listed without their bytes
  CHECK(db.list_models("anomaly_detector")->empty());

  write_batch batch;
  batch.request_id = "req-train-1";
  batch.examples = {{"a", R"({"asset_id":"a"})", true, "2026-12-01T10:00:00"},
                    {"b", R"({"asset_id":"b"})", std::nullopt, "2026-12-01T10:00:01"},
                    {"c", R"({"asset_id":"c"})", false, "2026-12-01T10:00:02"}};
  REQUIRE(db.write(batch));
  auto labelled = db.labelled_examples(10);
  REQUIRE(labelled);
  REQUIRE(labelled->size() == 2);
  CHECK((*labelled)[0].asset_id == "a");
  CHECK((*labelled)[0].exploited == true);
  CHECK((*labelled)[1].asset_id == "c");
  CHECK((*labelled)[1].exploited == false);
  CHECK(db.labelled_examples(1)->size() == 1);
}

} // namespace qs::test
