// The text of key files an operator (or an attacker with write access to a
// folder) can put in front of the node: the API key file, a CURVE key file or
// an allow-list entry; and the files the scanner reads (PEM, DER, PKCS#12,
// OpenSSH keys, authorized_keys, known_hosts). Invariants: no crash or sanitizer
// report; an error never quotes a key; the scanner never returns key material.
#include "actors/scanner/files/key_files.hpp"
#include "runtime/auth/api_keys.hpp"
#include "runtime/cluster/curve_keys.hpp"
#include "runtime/cluster/key_file.hpp"
#include "tests/fuzz/fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace qs::runtime;
  using qs::fuzz::require;
  const auto text = qs::fuzz::text_of(data, size);
  auto keys = auth::parse_api_keys(text, "keys");
  if (!keys) {
    require(keys.error() == auth::errc::malformed, "a key file's text is malformed, or keys");
    require(keys.error().message.rfind("keys:", 0) == 0,
            "an API key file error names the file and line");
  } else {
    require(keys->table.size() <= size / 8 + 1, "keys out of nothing");
  }
  auto line = cluster::detail::key_line_of(text, "node.pub");
  if (line) {
    auto key = cluster::key_of(*line, "node.pub", "CURVE public key");
    if (key)
      require(cluster::is_z85_key(*key), "a key that is not Z85 was accepted");
    else
      require(key.error() == cluster::errc::bad_key &&
                  key.error().message ==
                      "node.pub does not hold a CURVE public key (expected 40 Z85 characters)",
              "an error quotes the key file's content");
  }
  if (auto inv = qs::scanner::scan_key_content(text, "fuzz.pem"))
    for (const auto& item : inv->items)
      require(!item.kind.empty(), "an item without a kind");
  return 0;
}
