// Frames from the cluster socket: the first byte says how many (1 to 5), the next ones
// how long each is, the rest is their bytes; then the last frame is also read as the
// body of every link message (HELLO, WELCOME, REFUSE, READY, TASK, RESULT, FAILED,
// SHARD_MAP, ROLE_DOWN, REPLY, BATCH). Invariants: no crash, exception or sanitizer report;
// every refusal has a code and a message; an envelope that decodes encodes back to the
// same frames; a body that decodes re-encodes to bytes that decode to the same encoding.
#include <string>
#include <vector>

#include "protocol/envelope.hpp"
#include "protocol/link_messages.hpp"
#include "protocol/message_batch.hpp"
#include "runtime/cluster/error_domains.hpp"
#include "tests/fuzz/fuzz_input.hpp"

namespace {

using qs::fuzz::require;

template<class Decode> void round_trip(std::string_view body, Decode decode) {
  auto first = decode(body);
  if (!first) {
    require(first.error().code.value() != 0 && !first.error().message.empty(),
            "a refusal without a code or a message");
    return;
  }
  const std::string encoded = qs::protocol::encode(*first);
  auto second = decode(encoded);
  require(static_cast<bool>(second), "an encoded body does not decode");
  require(qs::protocol::encode(*second) == encoded, "a body round trip changed it");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace qs::protocol;
  if (size < 1)
    return 0;
  const std::size_t count = data[0] % 5 + 1;
  std::size_t at = 1;
  std::vector<std::size_t> lengths;
  for (std::size_t i = 0; i + 1 < count && at < size; ++i)
    lengths.push_back(data[at++]);
  std::vector<std::string> frames;
  const auto rest = qs::fuzz::text_of(data + at, size - at);
  std::size_t offset = 0;
  for (auto n : lengths) {
    frames.emplace_back(rest.substr(std::min(offset, rest.size()), n));
    offset += n;
  }
  frames.emplace_back(rest.substr(std::min(offset, rest.size())));
  auto decoded = decode(frames);
  if (decoded)
    require(encode(*decoded) == frames, "an envelope does not encode back to its frames");
  else
    require(!decoded.error().message.empty(), "a refused envelope without a message");
  const std::string_view body = frames.back();
  round_trip(body, decode_hello);
  round_trip(body, decode_welcome);
  round_trip(body, decode_refuse);
  round_trip(body, decode_ready);
  round_trip(body, decode_task);
  round_trip(body, decode_task_result);
  round_trip(body, decode_task_failure);
  round_trip(body, decode_shard_map);
  round_trip(body, decode_role_down);
  round_trip(body, decode_reply);
  if (auto batch = unpack(body, wire_version)) // a BATCH's body has one encoding
    require(pack(*batch) == body, "a batch does not re-pack to its bytes");
  else
    require(!batch.error().message.empty(), "a refused batch without a message");
  if (auto failure = decode_task_failure(body)) {
    const qs::error e = qs::runtime::cluster::from_wire(failure->error);
    require(!e.code_name().empty(), "an error from the wire without a code");
  }
  return 0;
}
