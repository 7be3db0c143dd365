// The cluster wire codecs (CBOR): exact round trips of jobs, tasks, answers,
// batches, outcomes, models and the cluster view.
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>

#include "actors/cluster/request_codec.hpp"
#include "tests/unit/wire_codec_fixture.hpp"

namespace json = boost::json;
using namespace qs::actors;
using namespace qs::test::wire_fixture;
using qs::protocol::scan_result;
using qs::test::cbor_tree;

TEST_CASE("wire codec: a job decoded from a Scorpius request round-trips exactly", "[wire]") {
  for (auto op :
       {operation::predict, operation::detect_anomalies, operation::enhance, operation::train}) {
    const job work = make_job(op);
    const std::string text = wire::encode_job(work);
    const job_ptr back = decoded(wire::decode_job(text));
    REQUIRE(back);
    CHECK(*back == work);
    CHECK(back->results[3].asset_id == "资产-Zürich-🔐");
    CHECK(back->results[3].document.at("custom_tag").at("team") == "blue");
    CHECK(wire::encode_job(*back) == text); // one encoding per value
  }
}

TEST_CASE("wire codec: doubles survive bit for bit, and documents keep their depth and bytes",
          "[wire]") {
  std::mt19937_64 rng(7);
  job work;
  json::array doubles;
  while (work.quantum_scores.size() < 20000) {
    std::uint64_t bits = rng();
    double d;
    std::memcpy(&d, &bits, sizeof d);
    if (work.quantum_scores.size() % 2)
      d = std::uniform_real_distribution<double>(0, 1)(rng);
    if (std::isfinite(d))
      work.quantum_scores.push_back(d), doubles.push_back(d);
  }
  scan_result r;
  r.asset_id = std::string("\xff\xfe bytes \xc3", 10); // not UTF-8: kept anyway
  json::object metadata;
  metadata["doubles"] = std::move(doubles);
  metadata["infinities"] = json::array(
      {std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity()});
  r.document["metadata"] = std::move(metadata);
  json::value deep = json::array();
  for (int i = 0; i < 200; ++i)
    deep = json::array({std::move(deep)});
  r.document["deep"] = std::move(deep);
  // Boost.JSON's kinds are kept: a uint64 of a small value stays a uint64.
  r.document["counts"] = json::array(
      {std::uint64_t{7}, std::int64_t{7}, 7.0, std::numeric_limits<std::uint64_t>::max()});
  work.results.push_back(std::move(r));
  const job_ptr back = decoded(wire::decode_job(wire::encode_job(work)));
  CHECK(*back == work);
  const auto& counts = back->results[0].document.at("counts").as_array();
  CHECK(counts[0].is_uint64());
  CHECK(counts[1].is_int64());
  CHECK(counts[2].is_double());
  CHECK(counts[3].is_uint64());
}

TEST_CASE("wire codec: doubles like 0.1, 1e-310, NaN and infinity are float64, bit for bit",
          "[wire]") {
  std::vector<qs::protocol::prediction> items(1);
  for (double d : {0.1, 1e-310, -0.0, std::numeric_limits<double>::quiet_NaN(),
                   std::numeric_limits<double>::infinity(),
                   -std::numeric_limits<double>::infinity(), 0.1 + 0.2}) {
    items[0].threat_score = d;
    items[0].confidence = std::nextafter(d, 0.0);
    const std::string bytes = wire::encode_predictions(items);
    std::uint64_t bits = 0;
    std::memcpy(&bits, &d, sizeof bits);
    std::string float64(1, '\xfb');
    for (int i = 7; i >= 0; --i)
      float64 += static_cast<char>((bits >> (8 * i)) & 0xff);
    CHECK(bytes.find(float64) != std::string::npos); // native float64, not text
    CHECK(decoded(wire::decode_predictions(bytes)) == items);
  }
}

TEST_CASE("wire codec: a task carries just its slice's results, renumbered, each document cut "
          "to its metadata",
          "[wire]") {
  job work = make_job(operation::enhance);
  for (int copy = 0; copy < 2; ++copy)
    for (std::size_t i = 0; i < 4; ++i) {
      work.results.push_back(work.results[i]);
      work.results.back().asset_id += "-copy" + std::to_string(copy);
    }
  auto shared = std::make_shared<const job>(work);
  const slice part{shared, {7, 2, 3, 10}};
  const slice back = decoded(wire::decode_task(wire::encode_task(part)));
  REQUIRE(back.work);
  CHECK(back.work->op == operation::enhance);
  CHECK(back.work->request_id == work.request_id);
  CHECK(back.indices == std::vector<std::size_t>{0, 1, 2, 3});
  REQUIRE(back.work->results.size() == 4);
  for (std::size_t k = 0; k < 4; ++k) {
    // Workers read the typed fields and metadata(); the rest of the document stays with
    // the coordinator, which answers and stores it.
    qs::protocol::scan_result expected = work.results[part.indices[k]];
    boost::json::object cut;
    if (const auto m = expected.document.find("metadata"); m != expected.document.end())
      cut["metadata"] = m->value();
    expected.document = std::move(cut);
    CHECK(back.work->results[k] == expected);
  }
  // Exact to the bit where it is kept (doubles, nesting, bytes that are not UTF-8).
  const auto with_metadata =
      std::find_if(work.results.begin(), work.results.end(),
                   [](const auto& r) { return r.metadata().contains("nested"); });
  REQUIRE(with_metadata != work.results.end());
  const slice one = decoded(wire::decode_task(wire::encode_task(
      slice{shared, {static_cast<std::size_t>(with_metadata - work.results.begin())}})));
  CHECK(same(one.work->results[0].metadata(), with_metadata->metadata()));
  CHECK(back.work->quantum_scores.empty());

  const slice none = decoded(wire::decode_task(wire::encode_task(slice{shared, {}})));
  CHECK(none.work->results.empty());
  CHECK(none.indices.empty());
  CHECK_THROWS_AS(wire::encode_task(slice{shared, {99}}), std::out_of_range);
  CHECK_THROWS_AS(wire::encode_task(slice{}), std::invalid_argument);
}

TEST_CASE("wire codec: predictions and anomalies round-trip exactly", "[wire]") {
  std::vector<qs::protocol::prediction> predictions(3);
  predictions[0] = {0.8347,
                    {"quantum_decryption", "shor"},
                    0.85,
                    {"Migrate to ML-KEM"},
                    "2026-11-25T10:00:00.123456",
                    "rules-1.2",
                    {{"CVE-2017-0144", 1.0, true, true}, {"", 1.25e-7, false, false}}};
  predictions[1].threat_score = 1.0 / 3;
  predictions[1].confidence = std::numeric_limits<double>::infinity();
  predictions[2] = {-0.0, {""}, 5e-324, {"ünïcödé \"steps\"\n"}, "", "", {}};
  CHECK(decoded(wire::decode_predictions(wire::encode_predictions(predictions))) == predictions);
  CHECK(decoded(wire::decode_predictions(wire::encode_predictions({}))).empty());

  std::vector<qs::protocol::anomaly> anomalies(2);
  anomalies[0] = {true,
                  0.7,
                  {"deprecated_usage", "drift"},
                  0.9,
                  "2026-11-25T10:00:00",
                  {"MD5 is deprecated", "RC4 \u2192 broken"}};
  anomalies[1].anomaly_score = std::nextafter(0.5, 1.0);
  CHECK(decoded(wire::decode_anomalies(wire::encode_anomalies(anomalies))) == anomalies);
  CHECK(decoded(wire::decode_anomalies(wire::encode_anomalies({}))).empty());
}

TEST_CASE("wire codec: write batches round-trip exactly, with and without an answer", "[wire]") {
  using namespace qs::runtime::storage;
  write_batch batch;
  batch.request_id = "req-1";
  batch.entries.push_back({std::numeric_limits<std::int64_t>::max(), "api-gateway-01", "req-1",
                           "enhance", "2026-11-25T10:00:00", "2026-11-25T10:00:01",
                           R"({"asset_id":"api-gateway-01","metadata":{"k":"v\u00e9"}})",
                           R"({"threat_score":0.8})", ""});
  batch.entries.push_back({});
  batch.examples.push_back({"a", R"({"asset_id":"a"})", true, "2026-11-25T10:00:01"});
  batch.examples.push_back({"b", "{}", false, ""});
  batch.examples.push_back({"c", "{}", std::nullopt, ""});
  batch.answer = idempotent_answer{"idem-1", "predict", 200, R"({"predictions":[]})", "3f2a"};
  CHECK(decoded(wire::decode_batch(wire::encode_batch(batch))) == batch);
  // Stored JSON text travels as bytes, as it is, even when it is not UTF-8.
  batch.entries[1].scan_result = std::string("{\"a\":\"\xff\0\"}", 10);
  CHECK(decoded(wire::decode_batch(wire::encode_batch(batch))) == batch);
  batch.answer.reset();
  CHECK(decoded(wire::decode_batch(wire::encode_batch(batch))) == batch);
  CHECK(decoded(wire::decode_batch(wire::encode_batch(write_batch{}))) == write_batch{});
}

TEST_CASE("wire codec: job outcomes round-trip exactly; a failure is a REPLY's error, not an "
          "outcome",
          "[wire]") {
  job_outcome full{503,
                   R"({"error":{"code":"x","message":"\"quoted\""}})",
                   true,
                   {"predictor: timed out", "anomaly: 1 of 2 shards failed"},
                   ""};
  CHECK(decoded(wire::decode_outcome(wire::encode_outcome(full))) == full);
  CHECK(decoded(wire::decode_outcome(wire::encode_outcome(job_outcome{}))) == job_outcome{});
  // The body is the HTTP body's bytes, a byte string (not JSON text in a string).
  const auto tree = cbor_tree::parse(wire::encode_outcome(full));
  CHECK(const_cast<cbor_tree&>(tree).at("body").kind == qs::protocol::cbor::kind::bytes);
}

TEST_CASE("wire codec: a model and the cluster view cross as bytes and as a document", "[wire]") {
  const std::string model_file("\x1f\x8b\x08\0binary", 10);
  auto offer = decoded(wire::decode_model_answer(
      wire::encode_model_answer(wire::model_offer{"20261201-1", model_file})));
  REQUIRE(offer);
  CHECK(offer->version == "20261201-1");
  CHECK(offer->model == model_file); // no hex
  CHECK_FALSE(decoded(wire::decode_model_answer(wire::encode_model_answer(std::nullopt))));
  CHECK(decoded(wire::decode_model_request(wire::encode_model_request({"v-1"}))).have == "v-1");

  const json::value view =
      json::parse(R"({"nodes":[{"id":"a","tasks_done":3}],"dead_letters":[]})");
  CHECK(decoded(wire::decode_cluster_view(wire::encode_cluster_view(view))) == view);
  CHECK(wire::decode_cluster_request(wire::encode_cluster_request()));
  CHECK(wire::decode_done(wire::encode_done()));
  CHECK(error_of(wire::decode_done(wire::encode_cluster_request())).message ==
        "reply.value: expected null, got a map");
}
