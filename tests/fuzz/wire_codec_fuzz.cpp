// A message body from another node, in CBOR: the first byte picks the decoder (job,
// task, predictions, anomalies, write batch, outcome, model answer, cluster view, a
// document alone, a version 1 spool entry in JSON), the rest is its bytes. Invariants: no
// crash, exception or sanitizer report; every refusal has a message; what decodes
// re-encodes to bytes that decode again to the same encoding; and a document that
// decodes re-encodes to the very bytes it came from (one encoding per value).
#include "actors/cluster/request_codec.hpp"
#include "actors/cluster/spool_legacy.hpp"
#include "actors/cluster/wire_codec.hpp"
#include "protocol/cbor_json.hpp"
#include "tests/fuzz/fuzz_input.hpp"

namespace wire = qs::actors::wire;

namespace {

template<class Decode, class Encode>
void round_trip(std::string_view bytes, Decode decode, Encode encode) {
  auto first = decode(bytes);
  if (!first) {
    qs::fuzz::require(!first.error().message.empty(), "a refusal without a message");
    return;
  }
  const std::string encoded = encode(*first);
  auto second = decode(encoded);
  qs::fuzz::require(static_cast<bool>(second), "an encoding does not decode");
  qs::fuzz::require(encode(*second) == encoded, "a round trip changed the message");
}

template<class T, class Decode>
void round_trip(std::string_view bytes, Decode decode, std::string (*encode)(const T&)) {
  round_trip(
      bytes, [&](std::string_view b) { return decode(b, "fuzz"); },
      [&](const T& x) { return encode(x); });
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1)
    return 0;
  const auto bytes = qs::fuzz::text_of(data + 1, size - 1);
  switch (data[0] % 10) {
  case 0:
    round_trip(
        bytes, [](std::string_view b) { return wire::decode_job(b); },
        [](const qs::actors::job_ptr& j) { return wire::encode_job(*j); });
    return 0;
  case 1:
    round_trip(bytes, wire::decode_task, wire::encode_task);
    return 0;
  case 2:
    round_trip(bytes, wire::decode_predictions, wire::encode_predictions);
    return 0;
  case 3:
    round_trip(bytes, wire::decode_anomalies, wire::encode_anomalies);
    return 0;
  case 4:
    round_trip(bytes, wire::decode_batch, wire::encode_batch);
    return 0;
  case 5:
    round_trip(bytes, wire::decode_outcome, wire::encode_outcome);
    return 0;
  case 6:
    round_trip(bytes, wire::decode_model_answer, wire::encode_model_answer);
    return 0;
  case 7:
    round_trip(bytes, wire::decode_cluster_view, wire::encode_cluster_view);
    return 0;
  case 8: {
    auto document = qs::protocol::json_from_cbor(bytes, "fuzz", 1040);
    if (document)
      qs::fuzz::require(qs::protocol::json_to_cbor(*document) == bytes,
                        "a document does not re-encode to its own bytes");
    else
      qs::fuzz::require(!document.error().message.empty(), "a refusal without a message");
    return 0;
  }
  default: { // a version 1 spool entry is replayed as a CBOR batch
    auto legacy = wire::decode_v1_batch(bytes);
    if (!legacy) {
      qs::fuzz::require(!legacy.error().message.empty(), "a refusal without a message");
      return 0;
    }
    round_trip(wire::encode_batch(*legacy), wire::decode_batch, wire::encode_batch);
    return 0;
  }
  }
}
