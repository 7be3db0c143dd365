#include "actors/scanner/tls/server_messages.hpp"

#include "actors/scanner/byte_reader.hpp"
#include "actors/scanner/tls/registry.hpp"

namespace qs::scanner::tls {
namespace {

// SHA-256("HelloRetryRequest"), RFC 8446 4.1.3.
constexpr unsigned char hrr_random[32] = {
    0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
    0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C};

} // namespace

std::variant<server_hello, std::string> parse_server_hello(std::string_view body) {
  byte_reader r(body);
  server_hello sh;
  sh.legacy_version = r.u16();
  const auto random = r.take(32);
  sh.hello_retry = random == std::string_view(reinterpret_cast<const char*>(hrr_random), 32);
  r.vector(1); // session id
  sh.cipher_suite = r.u16();
  sh.compression = r.u8();
  if (r.failed())
    return std::string("a ServerHello cut short");
  if (r.left() == 0)
    return sh; // no extensions (SSLv3, old TLS)
  byte_reader ext(r.vector(2));
  if (r.failed() || !r.done())
    return std::string("malformed ServerHello extensions");
  while (ext.left() > 0) {
    const auto type = ext.u16();
    byte_reader data(ext.vector(2));
    if (ext.failed())
      return std::string("a ServerHello extension cut short");
    sh.extensions.push_back(type);
    if (type == 43) { // supported_versions: the selected one
      sh.selected_version = data.u16();
    } else if (type == 51) { // key_share: group and key, or HRR's selected group
      sh.group = data.u16();
    } else if (type == 16) { // ALPN: one protocol
      byte_reader list(data.vector(2));
      sh.alpn = std::string(list.vector(1));
    }
    if (data.failed())
      return "malformed ServerHello extension " + std::to_string(type);
  }
  return sh;
}

std::variant<std::vector<std::string>, std::string> parse_certificate_list(std::string_view body) {
  byte_reader r(body);
  byte_reader list(r.vector(3));
  if (r.failed())
    return std::string("a Certificate message cut short");
  std::vector<std::string> out;
  while (list.left() > 0) {
    const auto der = list.vector(3);
    if (list.failed())
      return std::string("a certificate cut short");
    out.emplace_back(der);
  }
  return out;
}

std::variant<server_key_exchange, std::string>
parse_server_key_exchange(std::string_view body, std::string_view key_exchange,
                          std::uint16_t version) {
  byte_reader r(body);
  server_key_exchange ske;
  if (key_exchange == "ECDHE" || key_exchange == "ECDH") {
    const auto curve_type = r.u8();
    if (curve_type != 3) // named_curve; explicit curves are not offered and not read
      return "an ECDHE key exchange with curve type " + std::to_string(curve_type);
    ske.named_curve = r.u16();
    r.vector(1); // the server's point
  } else if (key_exchange == "DHE" || key_exchange == "DH") {
    ske.dh_prime = std::string(r.vector(2));
    r.vector(2); // g
    r.vector(2); // Ys
  } else {
    return "a ServerKeyExchange for key exchange " + std::string(key_exchange);
  }
  if (r.failed())
    return std::string("a ServerKeyExchange cut short");
  if (version >= tls12 && r.left() >= 4)
    ske.signature_scheme = r.u16();
  return ske;
}

} // namespace qs::scanner::tls
