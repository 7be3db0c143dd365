// What a scan job reads from outside: a POST /v1/scans body, a --scan-allow
// list, (from other nodes, in CBOR) a scan task and a scanner's results, and the
// previous run `qscan scan --baseline` reads. The first byte picks which. Invariants besides no
// crash or sanitizer report: every problem has a path and a message, and every accepted target
// writes back as itself; a CIDR block admits its own address; a task or results that decode encode
// again to what decodes to the same encoding; a baseline's findings are kept by their own
// fingerprints.
#include "actors/cluster/scan_task_codec.hpp"
#include "actors/scanner/baseline.hpp"
#include "actors/scanner/scan_policy.hpp"
#include "actors/scanner/scan_request.hpp"
#include "protocol/json_input.hpp"
#include "tests/fuzz/fuzz_input.hpp"

#include <arpa/inet.h>

namespace wire = qs::actors::wire;
namespace scanner = qs::scanner;

namespace {

template<class Decode, class Encode>
void round_trip(std::string_view bytes, Decode decode, Encode encode) {
  auto first = decode(bytes, "fuzz");
  if (!first)
    return;
  const auto once = encode(*first);
  auto second = decode(once, "fuzz");
  qs::fuzz::require(second && encode(*second) == once, "a decoded value does not round-trip");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1)
    return 0;
  const auto text = qs::fuzz::text_of(data + 1, size - 1);
  switch (data[0] % 5) {
  case 0: {
    auto parsed = qs::protocol::parse_json(text);
    if (!std::holds_alternative<boost::json::value>(parsed))
      return 0;
    auto read = scanner::read_scan_request(std::get<boost::json::value>(parsed), 64);
    if (auto* problems = std::get_if<qs::protocol::problems>(&read)) {
      qs::fuzz::require(!problems->empty(), "refused without a problem");
      for (const auto& p : *problems)
        qs::fuzz::require(!p.message.empty(), "a problem without a message");
    } else {
      for (const auto& t : std::get<scanner::scan_request>(read).targets) {
        auto again = scanner::parse_target(t.text);
        qs::fuzz::require(std::holds_alternative<scanner::target>(again) &&
                              std::get<scanner::target>(again).text == t.text,
                          "a target does not write back as itself");
      }
    }
    return 0;
  }
  case 1: {
    auto blocks = scanner::parse_cidr_list(text);
    if (auto* list = std::get_if<std::vector<scanner::cidr>>(&blocks))
      for (const auto& b : *list) {
        char address[INET6_ADDRSTRLEN] = {};
        inet_ntop(b.v6 ? AF_INET6 : AF_INET, b.bytes, address, sizeof address);
        qs::fuzz::require(scanner::allowed({b}, address), "a block does not admit its own address");
      }
    return 0;
  }
  case 2:
    round_trip(text, wire::decode_scan_task, wire::encode_scan_task);
    return 0;
  case 3:
    round_trip(text, wire::decode_scan_results, wire::encode_scan_results);
    return 0;
  default: {
    auto read = scanner::read_baseline(text);
    if (auto* base = std::get_if<scanner::baseline>(&read))
      for (const auto& [fp, f] : *base)
        qs::fuzz::require(!fp.empty() && fp == f.fingerprint, "a finding kept under another key");
    else
      qs::fuzz::require(!std::get<std::string>(read).empty(), "refused without a reason");
    return 0;
  }
  }
}
