// The storage calls' CBOR codecs (actors/cluster/storage_codec): every request and
// answer, both kinds of persistence task and both kinds of outcome round-trip field
// for field; a carried storage error keeps its code; bad input is refused with the
// path of the bad field.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "actors/cluster/storage_codec.hpp"
#include "protocol/wire_errc.hpp"
#include "runtime/storage/errc.hpp"
#include "tests/support/cbor_tree.hpp"
#include "tests/unit/storage_codec_equality.hpp"

using namespace qs::runtime::storage;
using qs::protocol::wire_errc;
using qs::test::cbor_tree;
namespace wire = qs::actors::wire;

namespace {

/// Bytes that are not text: NUL, 0xff, a lone continuation byte.
const std::string binary("\x00\xff\x80model\x00\xfe\xff", 11);

entry make_entry(std::int64_t id) {
  entry e;
  e.id = id;
  e.asset_id = "host-" + std::to_string(id);
  e.request_id = "req-1";
  e.operation = "predict";
  e.scan_timestamp = "2024-05-01T10:00:00Z";
  e.stored_at = "2024-05-01T10:00:01.250Z";
  e.scan_result = R"({"asset_id":"host","vulnerabilities":[]})";
  e.prediction = R"({"threat_score":0.25})";
  e.anomaly = ""; // that answer was not asked for
  return e;
}

entry_summary make_summary() {
  entry_summary s;
  s.asset_type = "tls_endpoint";
  s.findings = 7;
  s.quantum_risk = 0.8125;
  s.is_anomaly = false; // threat_score left unset: no prediction
  s.scan_job = "scan-1";
  s.kind = "tls";
  s.post_quantum = true;
  s.not_after = "2027-01-01T00:00:00Z";
  s.vulnerable = {"RSA", "ECDH"};
  s.top_probability = 0.000316478;
  s.top_title = "<b>title</b>";
  s.top_cve = "CVE-2017-0144";
  s.top_known_exploited = true;
  return s;
}

asset_row make_asset_row(std::int64_t id) {
  asset_row a;
  a.asset_id = "host-" + std::to_string(id);
  a.last_entry = id;
  a.entries = 3;
  a.last_seen = "2024-05-01T10:00:01Z";
  a.scan_timestamp = "2024-05-01T10:00:00Z";
  a.risk = 0.5;
  a.summary = make_summary();
  return a;
}

schedule make_schedule() {
  return {"sch-1",
          "nightly",
          R"({"targets":["tls://a:1"],"cron":"0 3 * * *"})",
          "key-1",
          "2024-05-01T10:00:00Z",
          1714536000,
          "scan-9",
          "2024-05-01T03:00:00Z"};
}

idempotent_answer make_idempotent_answer() {
  return {"open:key-1", "POST /v1/predict", 201, std::string("{\"a\":1}\x00", 8),
          std::string(64, 'f')};
}

stored_model make_model() {
  return {"v3", "threat_predictor", "2024-05-01T10:00:00Z", R"({"auc":0.91})", binary};
}

scan_job make_scan_job() {
  scan_job j;
  j.id = "job-7";
  j.status = "failed";
  j.request = R"({"targets":["10.0.0.1:443"],"options":{}})";
  j.total = 3;
  j.done = 2;
  j.error = "connection refused";
  j.owner = "key-2";
  j.created_at = "2024-05-01T10:00:00Z";
  j.updated_at = "2024-05-01T10:05:00Z";
  return j;
}

std::vector<scan_result_row> make_rows() {
  return {{0, "10.0.0.1:443", R"({"asset_id":"10.0.0.1"})"},
          {(std::int64_t{1} << 20) + 3, "/keys/id_rsa", binary}};
}

write_batch make_batch(bool with_answer) {
  write_batch b;
  b.request_id = "req-9";
  b.entries = {make_entry(1), make_entry(2)};
  b.entries[1].summary = make_summary();
  b.examples = {{"host-1", R"({"x":1})", true, "2024-05-01T10:00:00Z"},
                {"host-2", R"({"x":2})", false, "2024-05-01T10:00:01Z"},
                {"host-3", R"({"x":3})", std::nullopt, "2024-05-01T10:00:02Z"}};
  if (with_answer)
    b.answer = make_idempotent_answer();
  return b;
}

template<class T> T decoded(const qs::expected<T>& v) {
  if (!v)
    FAIL("decode failed: " << v.error().message);
  return *v;
}

template<class T> qs::error error_of(const qs::expected<T>& v) {
  REQUIRE_FALSE(v);
  return v.error();
}

// A valid encoding, changed by `edit`, encoded again.
template<class F> std::string edited(const std::string& bytes, F edit) {
  cbor_tree tree = cbor_tree::parse(bytes);
  edit(tree);
  return tree.encode();
}

/// Every index of `Variant` is among `values`.
template<class Variant> bool covers_every_alternative(const std::vector<Variant>& values) {
  std::set<std::size_t> seen;
  for (const auto& v : values)
    seen.insert(v.index());
  return seen.size() == std::variant_size_v<Variant>;
}

} // namespace

TEST_CASE("storage codec: every storage request round-trips field for field", "[storage_codec]") {
  const std::vector<storage_request> requests = {
      ask::find_answer{"open:key-1"},
      ask::history{"host-1", 50, std::string("cursor\x00\xff", 8)},
      ask::history{"host-1", std::numeric_limits<std::uint64_t>::max(), std::nullopt},
      ask::latest{"host-2"},
      ask::judged_scans{{"host-3", "host-4"}, 12},
      ask::judged_scans{{}, 0},
      ask::store_model{make_model()},
      ask::latest_model{"threat_predictor"},
      ask::list_models{""},
      ask::count_training{},
      ask::labelled_examples{1000},
      ask::create_scan_job{make_scan_job()},
      ask::store_scan_results{"job-7", make_rows()},
      ask::store_scan_results{"job-8", {}},
      ask::finish_scan_job{"job-7", "failed", "timeout"},
      ask::find_scan_job{"job-7"},
      ask::scan_results{"job-7", -1, 20},
      ask::scan_results{"job-7", std::numeric_limits<std::int64_t>::min(), 0},
      ask::unfinished_scan_jobs{},
      ask::find_entry{"host-1", 42},
      ask::list_assets{{100, 50, asset_query::order_by::threat_score, false, "gw%_", "HIGH"}},
      ask::overview{"2027-01-01T00:00:00Z", 10},
      ask::list_scan_jobs{0, 50, "done"},
      ask::create_schedule{make_schedule()},
      ask::list_schedules{},
      ask::find_schedule{"sch-1"},
      ask::delete_schedule{"sch-1"},
      ask::claim_schedule_run{"sch-1", 100, 200, make_scan_job()},
      ask::claim_schedule_run{"sch-1", 100, 200, std::nullopt},
  };
  REQUIRE(covers_every_alternative(requests));

  for (const storage_request& request : requests) {
    INFO("request " << request.index());
    const std::string bytes = wire::encode_storage_request(request);
    const storage_request back = decoded(wire::decode_storage_request(bytes));
    CHECK(back.index() == request.index());
    CHECK(back == request);
    CHECK(wire::encode_storage_request(back) == bytes); // the encoder's bytes are canonical
  }

  // The model's bytes cross as they are, NUL and 0xff included.
  const auto store = decoded(
      wire::decode_storage_request(wire::encode_storage_request(ask::store_model{make_model()})));
  REQUIRE(std::get<ask::store_model>(store).model.model == binary);
  CHECK(std::get<ask::store_model>(store).model.model.size() == 11);
}

TEST_CASE("storage codec: every storage answer round-trips field for field", "[storage_codec]") {
  history_page more{{make_entry(3), make_entry(2)}, 40, std::string("next\x00\xff", 6)};
  history_page last{{make_entry(1)}, 40, std::nullopt};
  scan_job queued;
  queued.id = "job-1";

  const std::vector<storage_answer> answers = {
      std::monostate{},
      std::optional<idempotent_answer>(),
      std::optional<idempotent_answer>(make_idempotent_answer()),
      more,
      last,
      history_page{},
      std::optional<entry>(),
      std::optional<entry>(make_entry(5)),
      std::vector<std::vector<std::string>>{{"{}", "", std::string("h\x00\xff", 3)}, {}},
      std::vector<std::vector<std::string>>{},
      std::optional<stored_model>(),
      std::optional<stored_model>(make_model()),
      std::vector<stored_model>{make_model(), {"v2", "threat_predictor", "t", "{}", ""}},
      training_counts{10, 7, 3},
      make_batch(false).examples,
      std::optional<scan_job>(),
      std::optional<scan_job>(make_scan_job()),
      make_rows(),
      std::vector<scan_job>{make_scan_job(), queued},
      asset_list{{make_asset_row(1), make_asset_row(2)}, 1234},
      estate_overview{2,
                      {{"CRITICAL", 1}, {"MINIMAL", 1}},
                      {{"RSA", 2}},
                      1,
                      1,
                      {make_asset_row(1)},
                      {make_asset_row(2)}},
      scan_job_page{{make_scan_job()}, 9},
      std::vector<schedule>{make_schedule()},
      std::optional<schedule>(),
      std::optional<schedule>(make_schedule()),
      true,
  };
  REQUIRE(covers_every_alternative(answers));

  for (const storage_answer& answer : answers) {
    INFO("answer " << answer.index());
    const std::string bytes = wire::encode_storage_answer(answer);
    const storage_answer back = decoded(wire::decode_storage_answer(bytes));
    CHECK(back.index() == answer.index());
    CHECK(back == answer);
    CHECK(wire::encode_storage_answer(back) == bytes);
  }

  // An entry without a summary is written without the field, as a peer that does not
  // know it writes it: decoding and encoding again gives the same bytes.
  const auto plain = wire::encode_storage_answer(std::optional<entry>(make_entry(5)));
  CHECK(plain.find("summary") == std::string::npos);
  CHECK(wire::encode_storage_answer(decoded(wire::decode_storage_answer(plain))) == plain);

  // The cases the brief singles out, looked at directly.
  const auto model = std::get<std::optional<stored_model>>(decoded(wire::decode_storage_answer(
      wire::encode_storage_answer(std::optional<stored_model>(make_model())))));
  REQUIRE(model);
  CHECK(model->model == binary);
  const auto page = std::get<history_page>(
      decoded(wire::decode_storage_answer(wire::encode_storage_answer(more))));
  REQUIRE(page.next);
  CHECK(*page.next == std::string("next\x00\xff", 6));
  CHECK(!std::get<history_page>(
             decoded(wire::decode_storage_answer(wire::encode_storage_answer(last))))
             .next);
  CHECK(!std::get<std::optional<entry>>(
      decoded(wire::decode_storage_answer(wire::encode_storage_answer(std::optional<entry>())))));
}

TEST_CASE("storage codec: a persistence task of each kind round-trips", "[storage_codec]") {
  for (bool with_answer : {true, false}) {
    const write_batch batch = make_batch(with_answer);
    const std::string bytes = wire::encode_persistence_task(batch);
    // The batch written alone is the same task.
    CHECK(wire::encode_persistence_write(batch) == bytes);
    const wire::persistence_work back = decoded(wire::decode_persistence_task(bytes));
    REQUIRE(std::holds_alternative<write_batch>(back));
    CHECK(std::get<write_batch>(back) == batch);
    CHECK(std::get<write_batch>(back).answer.has_value() == with_answer);
  }

  const storage_request request = ask::store_scan_results{"job-7", make_rows()};
  const std::string bytes = wire::encode_persistence_task(request);
  const wire::persistence_work back = decoded(wire::decode_persistence_task(bytes));
  REQUIRE(std::holds_alternative<storage_request>(back));
  CHECK(std::get<storage_request>(back) == request);
  CHECK(wire::encode_persistence_task(back) == bytes);
}

TEST_CASE("storage codec: an outcome carries the answer, or the store's error with its code",
          "[storage_codec]") {
  const storage_answer answer = training_counts{10, 7, 3};
  const auto ok = decoded(wire::decode_storage_outcome(wire::encode_storage_outcome(answer)));
  CHECK(ok == answer);

  const qs::error refusal(errc::invalid_argument, "invalid cursor \"x\"");
  const std::string bytes = wire::encode_storage_outcome(refusal);
  const qs::error back = error_of(wire::decode_storage_outcome(bytes));
  CHECK(back == errc::invalid_argument);
  CHECK(back != errc::unavailable);
  CHECK(back.code == refusal.code);
  CHECK(back.message == "invalid cursor \"x\"");
  CHECK(back.code_name() == "storage.invalid_argument");

  // An error of a domain this node does not know keeps its words.
  const auto martian = error_of(wire::decode_storage_outcome(
      edited(bytes, [](cbor_tree& o) { o.at(1).at("domain") = cbor_tree::text("martian"); })));
  CHECK(martian == wire_errc::unknown_domain);
  CHECK(martian.message == "invalid cursor \"x\" (error 2 of the unknown domain \"martian\")");
}

TEST_CASE("storage codec: a record's fields are read in any order, unknown ones skipped",
          "[storage_codec]") {
  const std::string bytes = wire::encode_storage_request(ask::history{"host-1", 50, "c"});
  const std::string reordered = edited(bytes, [](cbor_tree& r) {
    auto& fields = r.at(1).fields;
    std::reverse(fields.begin(), fields.end());
    r.at(1).set("priority", cbor_tree::unsigned_int(3)); // a newer node's field
  });
  const storage_request back = decoded(wire::decode_storage_request(reordered));
  CHECK(back == storage_request(ask::history{"host-1", 50, "c"}));
  // So the bytes are not canonical: decoding and encoding again gives the writer's order.
  CHECK(reordered != bytes);
  CHECK(wire::encode_storage_request(back) == bytes);
}

TEST_CASE("storage codec: bad input is refused with the bad field's path", "[storage_codec]") {
  using t = cbor_tree;
  const std::string history = wire::encode_storage_request(ask::history{"host-1", 50, "c"});

  auto request_error = [&](auto edit) {
    return error_of(wire::decode_storage_request(edited(history, edit)));
  };
  const auto past_last = std::variant_size_v<storage_request>;
  const auto unknown = request_error([](t& r) { r.at(0) = t::unsigned_int(past_last); });
  CHECK(unknown == wire_errc::bad_field);
  CHECK(unknown.message == "storage_request[0]: unknown code " + std::to_string(past_last));
  CHECK(request_error([](t& r) { r.at(0) = t::text("history"); }).message ==
        "storage_request[0]: expected an unsigned integer, got a text string");
  CHECK(request_error([](t& r) { r.at(1).erase("asset_id"); }).message ==
        "storage_request[1].asset_id: is missing");
  CHECK(request_error([](t& r) { r.at(1).at("limit") = t::negative(-1); }).message ==
        "storage_request[1].limit: expected an unsigned integer, got a negative integer");
  CHECK(request_error([](t& r) { r.at(1).at("cursor") = t::unsigned_int(2); }).message ==
        "storage_request[1].cursor: expected a text string, got an unsigned integer");
  CHECK(request_error([](t& r) { r.at(1).set("limit", t::unsigned_int(1)); }).message ==
        "storage_request[1].limit: appears twice");
  CHECK(request_error([](t& r) { r.items.push_back(t::null()); }).message ==
        "storage_request: expected [code, value], got an array of 3");
  CHECK(error_of(wire::decode_storage_request(history + "x")) == wire_errc::malformed);
  CHECK(error_of(wire::decode_storage_request("")) == wire_errc::malformed);

  // The model's bytes are a byte string, not text.
  const std::string model = wire::encode_storage_answer(std::optional<stored_model>(make_model()));
  CHECK(error_of(wire::decode_storage_answer(edited(model, [](t& a) {
          a.at(1).at("model") = t::text("weights");
        }))).message == "storage_answer[1].model: expected a byte string, got a text string");
  const auto past_answers = std::variant_size_v<storage_answer>;
  CHECK(error_of(wire::decode_storage_answer(edited(model, [](t& a) {
          a.at(0) = t::unsigned_int(past_answers);
        }))).message == "storage_answer[0]: unknown code " + std::to_string(past_answers));

  // A task's request is nested: the path goes through both.
  const std::string task = wire::encode_persistence_task(storage_request(ask::latest{"h"}));
  CHECK(error_of(wire::decode_persistence_task(edited(task, [](t& x) {
          x.at(1).at(0) = t::unsigned_int(99);
        }))).message == "task.payload[1][0]: unknown code 99");
  CHECK(error_of(wire::decode_persistence_task(edited(task, [](t& x) {
          x.at(0) = t::unsigned_int(2);
        }))).message == "task.payload[0]: unknown code 2");
  const std::string batch = wire::encode_persistence_write(make_batch(true));
  CHECK(error_of(wire::decode_persistence_task(edited(
                     batch,
                     [](t& x) { x.at(1).at("examples").at(2).at("exploited") = t::text("yes"); })))
            .message ==
        "task.payload[1].examples[2].exploited: expected a boolean, got a text string");

  // An outcome that is neither an answer nor an error.
  const std::string outcome = wire::encode_storage_outcome(qs::error(errc::corrupt, "bad row"));
  CHECK(error_of(wire::decode_storage_outcome(edited(outcome, [](t& o) {
          o.at(0) = t::unsigned_int(2);
        }))).message == "result.payload[0]: unknown code 2");
  CHECK(error_of(wire::decode_storage_outcome(edited(outcome, [](t& o) {
          o.at(1).erase("code");
        }))).message == "result.payload[1].code: is missing");
}
