// What the wire reads that it did not write: a spool entry of protocol version
// 1, and bad input, refused with the field's path and an error code.
#include <catch2/catch.hpp>

#include "actors/cluster/spool_legacy.hpp"
#include "protocol/wire_errc.hpp"
#include "tests/unit/wire_codec_fixture.hpp"

using namespace qs::actors;
using namespace qs::test::wire_fixture;
using qs::protocol::wire_errc;
using qs::test::cbor_tree;

TEST_CASE("wire codec: a spool entry of protocol version 1 (JSON) is still read", "[wire]") {
  const std::string v1 =
      R"({"request_id":"req-1","entries":[{"id":0,"asset_id":"a","request_id":"req-1",)"
      R"("operation":"predict","scan_timestamp":"t","stored_at":"s","scan_result":"{\"x\":1}",)"
      R"("prediction":"","anomaly":""}],"examples":[{"asset_id":"a","scan_result":"{}",)"
      R"("exploited":null,"stored_at":""}],"answer":{"key":"k","route":"predict","status":200,)"
      R"("body":"{}"}})";
  REQUIRE(wire::is_v1_batch(v1));
  const auto batch = decoded(wire::decode_v1_batch(v1));
  CHECK(batch.request_id == "req-1");
  REQUIRE(batch.entries.size() == 1);
  CHECK(batch.entries[0].scan_result == R"({"x":1})");
  REQUIRE(batch.examples.size() == 1);
  CHECK_FALSE(batch.examples[0].exploited);
  REQUIRE(batch.answer);
  CHECK(batch.answer->status == 200);
  CHECK(batch.answer->fingerprint.empty());
  CHECK_FALSE(wire::is_v1_batch(wire::encode_batch(batch)));
  CHECK(error_of(wire::decode_v1_batch(R"({"request_id":"r","entries":[5]})")).message ==
        "batch.entries[0]: expected an object");
}

TEST_CASE("wire codec: bad wire input is refused with its path and code", "[wire]") {
  const job base = make_job(operation::predict);
  const std::string job_bytes = wire::encode_job(base);
  auto job_error = [&](auto edit) {
    return error_of(wire::decode_job(edited(job_bytes, edit))).message;
  };
  using t = cbor_tree;

  for (const std::string& bytes : {std::string(), std::string("\xa1"), job_bytes + "x",
                                   job_bytes.substr(0, job_bytes.size() / 2)}) {
    const auto e = error_of(wire::decode_job(bytes));
    CHECK(e == wire_errc::malformed);
    CHECK(e.message.rfind("job", 0) == 0);
  }
  CHECK(error_of(wire::decode_job("\x80")).message == "job: expected a map, got an array");
  CHECK(error_of(wire::decode_job("\x80")) == wire_errc::bad_field);
  CHECK(job_error([](t& j) { j.at("results").at(3) = t::unsigned_int(5); }) ==
        "job.results[3]: expected a map, got an unsigned integer");
  CHECK(job_error([](t& j) { j.at("results").at(3).at("asset_id") = t::array(); }) ==
        "job.results[3].asset_id: expected a text string, got an array");
  CHECK(job_error([](t& j) { j.erase("op"); }) == "job.op: is missing");
  CHECK(job_error([](t& j) { j.at("op") = t::unsigned_int(4); }) == "job.op: unknown code 4");
  CHECK(job_error([](t& j) { j.at("op") = t::text("predict"); }) ==
        "job.op: expected an unsigned integer, got a text string");
  CHECK(job_error([](t& j) {
          j.at("results").at(2).at("vulnerabilities").at(1).erase("severity");
        }) == "job.results[2].vulnerabilities[1].severity: is missing");
  CHECK(job_error([](t& j) {
          j.at("results").at(0).at("vulnerabilities").at(0).at("severity") = t::unsigned_int(5);
        }) == "job.results[0].vulnerabilities[0].severity: unknown code 5");
  CHECK(job_error([](t& j) {
          j.at("results").at(2).at("vulnerabilities").at(0).at("exploited") = t::text("yes");
        }) == "job.results[2].vulnerabilities[0].exploited: expected a boolean, got a text string");
  CHECK(job_error([](t& j) {
          j.at("results").at(1).at("quantum_risk_score") = t::boolean(true);
        }) == "job.results[1].quantum_risk_score: expected a float64, got a boolean");
  CHECK(job_error([](t& j) { j.at("results").at(0).at("document") = t::array(); }) ==
        "job.results[0].document: expected a map, got an array");
  CHECK(job_error([](t& j) {
          j.at("results").at(3).at("document").at("metadata").at("nested").at("list").at(0) =
              t::map().set("k", t::float64(1)).set("k", t::null());
        }) == "job.results[3].document.metadata.nested.list[0].k: appears twice in its map");
  CHECK(job_error([](t& j) { j.at("quantum_scores").at(2) = t::text("high"); }) ==
        "job.quantum_scores[2]: expected a float64, got a text string");
  CHECK(job_error([](t& j) { j.at("warnings") = t::text("x"); }) ==
        "job.warnings: expected an array, got a text string");
  CHECK(job_error([](t& j) { j.at("request_id") = t::unsigned_int(7); }) ==
        "job.request_id: expected a text string, got an unsigned integer");
  // Unknown fields are ignored, anywhere: a newer node may add some.
  const auto newer = decoded(wire::decode_job(edited(job_bytes, [](t& j) {
    j.set("priority", t::unsigned_int(1));
    j.at("results").at(0).set("new_field", t::array());
  })));
  CHECK(*newer == base);
  // The root names where the bytes came from.
  CHECK(error_of(wire::decode_job("\x80", "request_job")).message ==
        "request_job: expected a map, got an array");

  auto work = std::make_shared<const job>(make_job(operation::detect_anomalies));
  const std::string task_bytes = wire::encode_task(slice{work, {0, 2}});
  CHECK(error_of(wire::decode_task(edited(task_bytes, [](t& x) { x.erase("results"); }))).message ==
        "task.payload.results: is missing");
  CHECK(error_of(wire::decode_task(edited(task_bytes, [](t& x) {
          x.at("results").at(1).at("asset_id") = t::array();
        }))).message == "task.payload.results[1].asset_id: expected a text string, got an array");

  const std::string predictions =
      wire::encode_predictions(std::vector<qs::protocol::prediction>(2));
  CHECK(error_of(wire::decode_predictions("\xa0")).message ==
        "predictions: expected an array, got a map");
  CHECK(error_of(wire::decode_predictions(
                     edited(predictions,
                            [](t& p) {
                              p.at(0).at("threat_types") = t::array();
                              p.at(0).at("threat_types").items.push_back(t::unsigned_int(1));
                            })))
            .message == "predictions[0].threat_types[0]: expected a text string, got an unsigned "
                        "integer");
  CHECK(error_of(wire::decode_predictions(edited(predictions, [](t& p) {
          p.at(1).erase("model_version");
        }))).message == "predictions[1].model_version: is missing");
  CHECK(error_of(wire::decode_anomalies(
                     edited(wire::encode_anomalies(std::vector<qs::protocol::anomaly>(1)),
                            [](t& a) { a.at(0).at("is_anomaly") = t::text("yes"); })))
            .message == "anomalies[0].is_anomaly: expected a boolean, got a text string");

  qs::runtime::storage::write_batch batch;
  batch.entries.resize(1);
  batch.answer = qs::runtime::storage::idempotent_answer{};
  const std::string batch_bytes = wire::encode_batch(batch);
  auto batch_error = [&](auto edit) {
    return error_of(wire::decode_batch(edited(batch_bytes, edit))).message;
  };
  CHECK(batch_error([](t& b) { b.at("answer").at("status") = t::negative(-1); }) ==
        "batch.answer.status: expected an integer from 0 to 4294967295, got -1");
  CHECK(batch_error([](t& b) { b.at("entries").at(0).at("id") = t::float64(1.5); }) ==
        "batch.entries[0].id: expected an integer from -9223372036854775808 to "
        "9223372036854775807, got a float64");
  CHECK(batch_error([](t& b) { b.at("entries").at(0).at("scan_result") = t::text("{}"); }) ==
        "batch.entries[0].scan_result: expected a byte string, got a text string");
  CHECK(batch_error([](t& b) { b.at("answer") = t::unsigned_int(3); }) ==
        "batch.answer: expected a map, got an unsigned integer");
  CHECK(batch_error([](t& b) {
          b.at("examples") = t::array();
          b.at("examples").items.push_back(t::map());
        }) == "batch.examples[0].asset_id: is missing");

  const std::string outcome_bytes = wire::encode_outcome({});
  CHECK(error_of(wire::decode_outcome(edited(outcome_bytes, [](t& o) {
          o.at("degraded") = t::unsigned_int(0);
        }))).message == "outcome.degraded: expected a boolean, got an unsigned integer");
  CHECK(error_of(wire::decode_outcome(edited(outcome_bytes, [](t& o) {
          o.at("status") = t::unsigned_int(4294967296);
        }))).message == "outcome.status: expected an integer from 0 to 4294967295, got 4294967296");
}
