// A message body from another node: the first byte picks the decoder (job,
// task, predictions, anomalies, write batch, outcome: the answers between
// nodes), the rest is its JSON. Invariants: no crash or sanitizer report; what
// decodes re-encodes to text that decodes again to the same encoding.
#include "actors/cluster/wire_codec.hpp"
#include "tests/fuzz/fuzz_input.hpp"

namespace wire = qs::actors::wire;

namespace {

template<class Decode, class Encode>
void round_trip(std::string_view text, Decode decode, Encode encode) {
  auto first = decode(text);
  if (first.index() != 0)
    return;
  const auto encoded = encode(std::get<0>(first));
  auto second = decode(encoded);
  qs::fuzz::require(second.index() == 0, "an encoding does not decode");
  qs::fuzz::require(encode(std::get<0>(second)) == encoded, "a round trip changed the message");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1)
    return 0;
  const auto text = qs::fuzz::text_of(data + 1, size - 1);
  switch (data[0] % 6) {
  case 0:
    return round_trip(text, wire::decode_job,
                      [](const qs::actors::job_ptr& j) { return wire::encode_job(*j); }),
           0;
  case 1:
    return round_trip(text, wire::decode_task, wire::encode_task), 0;
  case 2:
    return round_trip(text, wire::decode_predictions, wire::encode_predictions), 0;
  case 3:
    return round_trip(text, wire::decode_anomalies, wire::encode_anomalies), 0;
  case 4:
    return round_trip(text, wire::decode_batch, wire::encode_batch), 0;
  default:
    return round_trip(text, wire::decode_outcome, wire::encode_outcome), 0;
  }
}
