// The compact storage format (runtime/storage/compact): packing against the
// preset dictionary, entry records with their batch's head, answer templates.
#include <catch2/catch.hpp>

#include "runtime/storage/compact/answer_record.hpp"
#include "runtime/storage/compact/entry_record.hpp"
#include "runtime/storage/compact/packing.hpp"
#include "runtime/storage/errc.hpp"

using namespace qs::runtime::storage;
using namespace qs::runtime::storage::compact;

namespace {

const std::string prediction =
    R"({"threat_score":0.42,"threat_types":["weak_key_size"],"confidence":0.9,)"
    R"("mitigation_steps":["Replace the short key with ML-KEM-768 or ML-DSA-65"]})";

entry make(const std::string& asset, int n) {
  entry e;
  e.asset_id = asset;
  e.request_id = "req-1";
  e.operation = "predict";
  e.scan_timestamp = "2026-11-25T10:00:00";
  e.stored_at = "2026-12-01T09:00:00.123456+00:00";
  e.scan_result = R"({"asset_id":")" + asset + R"(","n":)" + std::to_string(n) + "}";
  e.prediction = prediction;
  return e;
}

} // namespace

TEST_CASE("packed texts read back byte for byte, and the service's JSON packs small",
          "[storage][compact]") {
  const std::string binary("\x00\xff\x01 bytes \x00", 10);
  for (const std::string& text : {std::string(), std::string("{}"), prediction, binary,
                                  std::string(100000, 'x') + prediction}) {
    const auto packed = pack(text);
    CHECK(packed.size() <= text.size() + 1);
    auto back = unpack(packed);
    REQUIRE(back);
    CHECK(*back == text);
  }
  CHECK(pack(prediction).size() * 3 < prediction.size());
}

TEST_CASE("texts packed by earlier builds still unpack (the dictionary is fixed)",
          "[storage][compact]") {
  const std::string earlier("\x01\xc3\xac\xc5\x4c\x8c\x30\xab\x31\xd4\x5a\x06\x5b\x83\x01\x4b\xd5"
                            "\x41\x4e\xbf\x3d\xb6\x16\x00",
                            24);
  auto text = unpack(earlier);
  REQUIRE(text);
  CHECK(*text == prediction);
  // Format 2 (zstd), what this build writes: the same bytes every time.
  const std::string zstd("\x02\x20\x91\x25\x01\x00\x38\x7b\x34\x32\x2c\x39\x5d\x7d\x09\x00"
                         "\xec\x1e\x1a\x88\x17\xd4\x00\x7c\xe7\x63\x9e\x23\xcd\x2c\x01\x68"
                         "\x70\x93\x0c\xe7\xb9\x80\xad\x44\xbe\x02",
                         42);
  CHECK(pack(prediction) == zstd);
  text = unpack(zstd);
  REQUIRE(text);
  CHECK(*text == prediction);
}

TEST_CASE("what is not a packed text is corrupt", "[storage][compact]") {
  const auto packed = pack(prediction);
  for (const std::string& bad : {std::string(), std::string("\x07{}", 3),
                                 packed.substr(0, packed.size() / 2), packed + "trailing"}) {
    auto text = unpack(bad);
    REQUIRE_FALSE(text);
    CHECK(text.error() == errc::corrupt);
  }
}

TEST_CASE("an entry leaves to its head only the shared fields they have in common",
          "[storage][compact]") {
  const entry head = make("a", 1);
  entry other = make("b", 2);
  other.operation = "enhance";
  other.anomaly = R"({"is_anomaly":true})";
  entry read;
  REQUIRE(decode_entry(encode_entry(other, &head), &head, read));
  CHECK(read.request_id == "req-1");
  CHECK(read.operation == "enhance");
  CHECK(read.stored_at == other.stored_at);
  CHECK(read.scan_timestamp == other.scan_timestamp);
  CHECK(read.scan_result == other.scan_result);
  CHECK(read.prediction == other.prediction);
  CHECK(read.anomaly == other.anomaly);
  CHECK(flags_of(other) == (has_scan_result | has_anomaly));
  CHECK(flags_of(entry()) == 0);
  // Without its head, an entry that left fields to it cannot be read.
  auto lost = decode_entry(encode_entry(other, &head), nullptr, read);
  REQUIRE_FALSE(lost);
  CHECK(lost.error() == errc::corrupt);
  // A head carries everything.
  entry alone;
  REQUIRE(decode_entry(encode_entry(head, nullptr), nullptr, alone));
  CHECK(alone.request_id == head.request_id);
  CHECK(alone.stored_at == head.stored_at);
}

TEST_CASE("an answer body is rebuilt from its entries, in any order and with text of its own",
          "[storage][compact]") {
  std::vector<entry> entries = {make("a", 1), make("b", 2)};
  entries[1].prediction = R"({"threat_score":0.9,"threat_types":[]})";
  const std::vector<std::string> bodies = {
      R"({"predictions":[)" + entries[0].prediction + "," + entries[1].prediction +
          R"(],"request_id":"req-1","degraded":false})",
      R"({"original_results":[)" + entries[0].scan_result + "," + entries[1].scan_result +
          R"(],"ai_predictions":[)" + entries[1].prediction + "," + entries[0].prediction + "]}",
      R"({"training":"none of the entries"})", ""};
  for (const auto& body : bodies) {
    idempotent_answer a{"open:k", "predict", 200, body, std::string(64, 'f')};
    const auto record = encode_answer(a, entries);
    idempotent_answer read;
    REQUIRE(decode_answer(record, entries, read));
    CHECK(read.body == body);
    CHECK(read.route == "predict");
    CHECK(read.fingerprint == a.fingerprint);
  }
  // The first body refers to the entries instead of copying them.
  idempotent_answer a{"open:k", "predict", 200, bodies[0], ""};
  CHECK(encode_answer(a, entries).size() * 3 < bodies[0].size());
  idempotent_answer read;
  auto missing = decode_answer(encode_answer(a, entries), {}, read);
  REQUIRE_FALSE(missing);
  CHECK(missing.error() == errc::corrupt);
}
