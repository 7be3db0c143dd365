// What an SSH server sends before encryption: lines before the identification,
// the identification, binary packets, KEXINIT and the key exchange reply with
// its host key. The first byte picks how the bytes are split. Invariants: no
// crash or sanitizer report; a KEXINIT that parses survives our writer's
// round trip with its lists intact.
#include "actors/scanner/ssh/messages.hpp"
#include "tests/fuzz/fuzz_input.hpp"

namespace ssh = qs::scanner::ssh;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1)
    return 0;
  const auto bytes = qs::fuzz::text_of(data + 1, size - 1);
  const std::size_t step = data[0] % 64 + 1;
  std::string received;
  ssh::packet_reader packets;
  bool have_banner = false;
  for (std::size_t at = 0; at < bytes.size(); at += step) {
    const auto piece = bytes.substr(at, step);
    if (!have_banner) {
      received.append(piece);
      auto split = ssh::split_banner(received);
      if (!split)
        continue;
      if (std::holds_alternative<std::string>(*split))
        return 0;
      packets.feed(std::get<ssh::banner_split>(*split).rest);
      have_banner = true;
    } else {
      packets.feed(piece);
    }
    while (auto payload = packets.next()) {
      if (payload->empty())
        break;
      auto k = ssh::parse_kexinit(*payload);
      if (auto* server = std::get_if<ssh::kexinit>(&k)) {
        auto again =
            ssh::parse_kexinit(ssh::kexinit_payload("curve25519-sha256", "ssh-ed25519", *server));
        qs::fuzz::require(std::holds_alternative<ssh::kexinit>(again),
                          "our KEXINIT does not parse");
        qs::fuzz::require(std::get<ssh::kexinit>(again).macs_server_to_client ==
                              server->macs_server_to_client,
                          "our KEXINIT lost the server's MACs");
      }
      if (auto key = ssh::parse_kex_reply(*payload); std::holds_alternative<ssh::host_key>(key))
        (void)ssh::fingerprint(std::get<ssh::host_key>(key).blob);
    }
  }
  return 0;
}
