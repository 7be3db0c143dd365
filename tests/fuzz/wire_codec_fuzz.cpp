// A message body from another node, in CBOR: the first byte picks the decoder (job,
// task, predictions, anomalies, write batch, outcome, model answer, cluster view, a
// document alone, a version 1 spool entry in JSON; then the storage calls: a storage
// request, a storage answer, a persistence TASK's payload, a storage outcome; then a
// BATCH's body), the rest is its bytes. Invariants: no crash, exception or sanitizer report; every
// refusal has a message; what decodes re-encodes to bytes that decode again to the same encoding;
// and a document that decodes re-encodes to the very bytes it came from (one encoding per value). A
// BATCH that unpacks packs to the very bytes it came from, and its messages, queued for one peer,
// come out of `coalesce` as one BATCH of the same messages.
//
// The storage codecs write a record's fields in order but read them in any order and
// skip keys they do not know, so one value has many encodings and a decoded value need
// not re-encode to its input. What does hold: every field is required and each scalar
// has one encoding, so the re-encoding keeps only the known fields, in order, and is
// never longer than the input; and the codec's own encoding is canonical (it decodes
// and re-encodes to exactly itself), which, the encoding holding every field, is the
// value field for field. A storage outcome may carry the sender's error: it decodes as
// that error, which must cross the wire again as itself.
#include <cstdint>

#include "actors/cluster/request_codec.hpp"
#include "actors/cluster/spool_legacy.hpp"
#include "actors/cluster/storage_codec.hpp"
#include "actors/cluster/wire_codec.hpp"
#include "protocol/cbor_json.hpp"
#include "protocol/message_batch.hpp"
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

/// A storage codec's round trip (see above): `value`, decoded from `bytes`, re-encodes
/// to bytes no longer than them, and that encoding is canonical.
template<class T, class Decode, class Encode>
void storage_reencoding(std::string_view bytes, const T& value, Decode decode, Encode encode) {
  const std::string encoded = encode(value);
  qs::fuzz::require(encoded.size() <= bytes.size(), "a re-encoding is longer than its input");
  auto second = decode(encoded, "fuzz");
  qs::fuzz::require(static_cast<bool>(second), "an encoding does not decode");
  qs::fuzz::require(encode(*second) == encoded, "a round trip changed the message");
}

template<class T, class Decode>
void storage_round_trip(std::string_view bytes, Decode decode, std::string (*encode)(const T&)) {
  auto first = decode(bytes, "fuzz");
  if (!first) {
    qs::fuzz::require(!first.error().message.empty(), "a refusal without a message");
    return;
  }
  storage_reencoding(bytes, *first, decode, encode);
}

void persistence_task_round_trip(std::string_view bytes) {
  auto work = wire::decode_persistence_task(bytes, "fuzz");
  if (!work) {
    qs::fuzz::require(!work.error().message.empty(), "a refusal without a message");
    return;
  }
  storage_reencoding(bytes, *work, wire::decode_persistence_task, wire::encode_persistence_task);
  if (const auto* batch = std::get_if<qs::runtime::storage::write_batch>(&*work))
    qs::fuzz::require(wire::encode_persistence_write(*batch) ==
                          wire::encode_persistence_task(*work),
                      "a write batch is not written as the task that carries it");
}

void storage_outcome_round_trip(std::string_view bytes) {
  using outcome = qs::expected<qs::runtime::storage::storage_answer>;
  auto first = wire::decode_storage_outcome(bytes, "fuzz");
  if (first) {
    storage_reencoding(bytes, *first, wire::decode_storage_outcome,
                       [](const qs::runtime::storage::storage_answer& answer) {
                         return wire::encode_storage_outcome(answer);
                       });
    return;
  }
  // The decoder's own refusals name "fuzz"; a carried error's message is the sender's,
  // possibly empty, and comes only from an outcome [1, error].
  const qs::error& error = first.error();
  qs::fuzz::require(!error.message.empty() || bytes.substr(0, 2) == "\x82\x01",
                    "a refusal without a message");
  const std::string encoded = wire::encode_storage_outcome(outcome(error));
  auto second = wire::decode_storage_outcome(encoded, "fuzz");
  qs::fuzz::require(!second && second.error().code == error.code &&
                        second.error().message == error.message,
                    "an error does not cross the wire as itself");
  qs::fuzz::require(wire::encode_storage_outcome(second) == encoded,
                    "a round trip changed the message");
}

void batch_round_trip(std::string_view bytes) {
  namespace proto = qs::protocol;
  auto messages = proto::unpack(bytes, proto::wire_version, "fuzz");
  if (!messages) {
    qs::fuzz::require(!messages.error().message.empty(), "a refusal without a message");
    return;
  }
  qs::fuzz::require(proto::pack(*messages) == bytes, "a batch does not re-pack to its bytes");
  std::vector<std::vector<std::string>> queued;
  for (const auto& m : *messages)
    queued.push_back(proto::encode(m));
  const auto sent = proto::coalesce(std::move(queued), /*routed=*/false,
                                    {SIZE_MAX, SIZE_MAX}); // one batch, however large
  qs::fuzz::require(sent.size() == 1, "one peer's batchable messages are not one batch");
  auto outer = proto::decode(sent.front());
  qs::fuzz::require(outer && outer->type == proto::message_type::batch &&
                        outer->body == std::string(bytes),
                    "coalesce does not send the messages as they were batched");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1)
    return 0;
  const auto bytes = qs::fuzz::text_of(data + 1, size - 1);
  switch (data[0] % 15) {
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
  case 9: { // a version 1 spool entry is replayed as a CBOR batch
    auto legacy = wire::decode_v1_batch(bytes);
    if (!legacy) {
      qs::fuzz::require(!legacy.error().message.empty(), "a refusal without a message");
      return 0;
    }
    round_trip(wire::encode_batch(*legacy), wire::decode_batch, wire::encode_batch);
    return 0;
  }
  case 10:
    storage_round_trip(bytes, wire::decode_storage_request, wire::encode_storage_request);
    return 0;
  case 11:
    storage_round_trip(bytes, wire::decode_storage_answer, wire::encode_storage_answer);
    return 0;
  case 12:
    persistence_task_round_trip(bytes);
    return 0;
  case 13:
    storage_outcome_round_trip(bytes);
    return 0;
  default:
    batch_round_trip(bytes);
    return 0;
  }
}
