// What a TLS server sends back to a probe: the first byte picks how the bytes
// are split across reads; then the record and handshake reader, the ServerHello,
// Certificate and ServerKeyExchange parsers, and the certificates read with
// OpenSSL. Invariants: no crash or sanitizer report; reading in pieces gives the
// same messages as reading whole.
#include <vector>

#include "actors/scanner/tls/handshake_reader.hpp"
#include "actors/scanner/tls/registry.hpp"
#include "actors/scanner/tls/server_messages.hpp"
#include "actors/scanner/x509/certificate.hpp"
#include "tests/fuzz/fuzz_input.hpp"

namespace tls = qs::scanner::tls;

namespace {

std::vector<tls::handshake_message> read(std::string_view bytes, std::size_t step) {
  tls::handshake_reader r;
  for (std::size_t at = 0; at < bytes.size(); at += step)
    r.feed(bytes.substr(at, step));
  std::vector<tls::handshake_message> out;
  while (auto m = r.next())
    out.push_back(std::move(*m));
  return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1)
    return 0;
  const auto bytes = qs::fuzz::text_of(data + 1, size - 1);
  const auto whole = read(bytes, bytes.size() + 1);
  const auto pieces = read(bytes, data[0] % 32 + 1);
  qs::fuzz::require(whole.size() == pieces.size(), "pieces give other messages");
  for (std::size_t i = 0; i < whole.size(); ++i)
    qs::fuzz::require(whole[i].type == pieces[i].type && whole[i].body == pieces[i].body,
                      "pieces give other messages");
  std::string kx = "ECDHE";
  std::uint16_t version = tls::tls12;
  for (const auto& m : whole) {
    if (m.type == 2) {
      auto sh = tls::parse_server_hello(m.body);
      if (auto* h = std::get_if<tls::server_hello>(&sh)) {
        version = h->version();
        if (const auto* s = tls::find_suite(h->cipher_suite))
          kx = std::string(s->key_exchange);
        (void)tls::version_name(version);
      }
    } else if (m.type == 11) {
      auto chain = tls::parse_certificate_list(m.body);
      if (auto* list = std::get_if<std::vector<std::string>>(&chain))
        for (const auto& der : *list)
          if (auto c = qs::scanner::describe_certificate(der);
              std::holds_alternative<qs::scanner::certificate_info>(c))
            (void)qs::scanner::certificate_names(std::get<qs::scanner::certificate_info>(c),
                                                 "www.example.org");
    } else if (m.type == 12) {
      auto ske = tls::parse_server_key_exchange(m.body, kx, version);
      if (auto* k = std::get_if<tls::server_key_exchange>(&ske); k && !k->dh_prime.empty())
        (void)tls::dhe_group_name(k->dh_prime);
    }
  }
  return 0;
}
