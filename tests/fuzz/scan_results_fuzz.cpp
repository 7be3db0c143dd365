// A request body, as Scorpius (or anyone) might post it: the JSON parser with
// its depth limit, then the scan-result and training-data decoders with their
// validation. Invariants: no crash or sanitizer report; every problem has a
// message; the error answer built from the problems is valid JSON.
#include "protocol/answer_codec.hpp"
#include "protocol/json_input.hpp"
#include "protocol/scan_result_codec.hpp"
#include "tests/fuzz/fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace qs::protocol;
  using qs::fuzz::require;
  json_limits limits;
  limits.max_depth = 32;
  auto parsed = parse_json(qs::fuzz::text_of(data, size), limits);
  if (auto* error = std::get_if<json_error>(&parsed)) {
    require(!error->message.empty(), "a parse error says why");
    return 0;
  }
  batch_limits batch;
  batch.max_scan_results = 64;
  batch.max_findings = 64;
  batch.max_string = 256;
  for (const char* list : {"scan_results", "training_data"}) {
    auto decoded = decode_batch(std::get<boost::json::value>(parsed), list, batch);
    for (const auto& p : decoded.errors)
      require(!p.message.empty(), "every problem has a message");
    const auto body = encode_error("invalid_request", "problems", decoded.errors);
    require(std::holds_alternative<boost::json::value>(parse_json(body)),
            "an error answer is valid JSON");
    for (const auto& r : decoded.results)
      (void)r.metadata();
  }
  return 0;
}
