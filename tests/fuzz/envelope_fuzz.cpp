// Frames from the cluster socket: the first byte says how many (1 to 5), the
// next ones how long each is, the rest is their bytes; then a HELLO body.
// Invariants: no crash or sanitizer report; an envelope that decodes encodes
// back to the same frames; a HELLO that decodes round-trips.
#include <string>
#include <vector>

#include "protocol/envelope.hpp"
#include "tests/fuzz/fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace qs::protocol;
  using qs::fuzz::require;
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
  if (auto* e = std::get_if<envelope>(&decoded))
    require(encode(*e) == frames, "an envelope does not encode back to its frames");
  auto greeting = decode_hello(rest);
  if (auto* h = std::get_if<hello>(&greeting)) {
    const auto encoded = encode_hello(*h);
    auto again = decode_hello(encoded);
    require(std::holds_alternative<hello>(again), "an encoded HELLO does not decode");
    require(encode_hello(std::get<hello>(again)) == encoded, "a HELLO round trip changed it");
  }
  return 0;
}
