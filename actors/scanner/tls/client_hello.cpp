#include "actors/scanner/tls/client_hello.hpp"

#include <algorithm>

#include <arpa/inet.h>
#include <openssl/rand.h>

#include "actors/scanner/tls/key_shares.hpp"
#include "actors/scanner/tls/registry.hpp"

namespace qs::scanner::tls {
namespace {

constexpr std::size_t max_fragment = 16384;

void put8(std::string& out, unsigned v) {
  out += static_cast<char>(v & 0xff);
}
void put16(std::string& out, unsigned v) {
  put8(out, v >> 8);
  put8(out, v);
}
void put24(std::string& out, std::size_t v) {
  put8(out, static_cast<unsigned>(v >> 16));
  put16(out, static_cast<unsigned>(v & 0xffff));
}

// Appends `body` behind a big-endian length of `width` bytes.
void vector(std::string& out, int width, const std::string& body) {
  if (width == 1)
    put8(out, static_cast<unsigned>(body.size()));
  else if (width == 2)
    put16(out, static_cast<unsigned>(body.size()));
  else
    put24(out, body.size());
  out += body;
}

void extension(std::string& out, unsigned type, const std::string& body) {
  put16(out, type);
  vector(out, 2, body);
}

std::string list16(const std::vector<std::uint16_t>& codes) {
  std::string out;
  for (auto c : codes)
    put16(out, c);
  return out;
}

std::string random_bytes(std::size_t n) {
  std::string out(n, '\0');
  RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n));
  return out;
}

bool is_ip_literal(const std::string& host) {
  unsigned char buf[16];
  return inet_pton(AF_INET, host.c_str(), buf) == 1 || inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

bool offers_ecc(const client_hello_offer& o) {
  return std::any_of(o.suites.begin(), o.suites.end(), [](std::uint16_t code) {
    const auto* s = find_suite(code);
    return s && (s->key_exchange == "ECDHE" || s->key_exchange == "ECDH");
  });
}

} // namespace

std::string client_hello_message(const client_hello_offer& o) {
  std::string body;
  put16(body, o.legacy_version);
  body += random_bytes(32);
  vector(body, 1, random_bytes(32)); // legacy_session_id: middlebox compatibility
  vector(body, 2, list16(o.suites));
  vector(body, 1, std::string(1, '\0')); // compression: null only

  std::string ext;
  if (!o.server_name.empty() && !is_ip_literal(o.server_name)) {
    std::string name;
    put8(name, 0); // host_name
    vector(name, 2, o.server_name);
    std::string list;
    vector(list, 2, name);
    extension(ext, 0, list);
  }
  if (!o.groups.empty()) {
    std::string groups;
    vector(groups, 2, list16(o.groups));
    extension(ext, 10, groups);
  }
  if (offers_ecc(o) || !o.groups.empty())
    extension(ext, 11, std::string("\x01\x00", 2)); // ec_point_formats: uncompressed
  if (!o.signature_schemes.empty()) {
    std::string schemes;
    vector(schemes, 2, list16(o.signature_schemes));
    extension(ext, 13, schemes);
  }
  if (!o.alpn.empty()) {
    std::string names;
    for (const auto& a : o.alpn)
      vector(names, 1, a);
    std::string alpn;
    vector(alpn, 2, names);
    extension(ext, 16, alpn);
  }
  extension(ext, 23, {}); // extended_master_secret
  extension(ext, 35, {}); // session_ticket
  const bool offers_tls13 =
      std::find(o.versions.begin(), o.versions.end(), tls13) != o.versions.end();
  if (!o.versions.empty()) {
    std::string versions;
    vector(versions, 1, list16(o.versions));
    extension(ext, 43, versions);
  }
  if (offers_tls13) {
    extension(ext, 45, std::string("\x01\x01", 2)); // psk_key_exchange_modes: psk_dhe_ke
    std::string shares;
    for (auto code : o.key_share_groups) {
      const auto* g = find_group(code);
      if (!g)
        continue;
      const auto share = key_share_for(*g);
      if (share.empty())
        continue;
      put16(shares, code);
      vector(shares, 2, share);
    }
    std::string key_share;
    vector(key_share, 2, shares);
    extension(ext, 51, key_share);
  }
  extension(ext, 0xff01, std::string(1, '\0')); // renegotiation_info, empty
  vector(body, 2, ext);

  std::string message;
  put8(message, 1); // client_hello
  vector(message, 3, body);
  return message;
}

std::string client_hello_records(const client_hello_offer& o) {
  const auto message = client_hello_message(o);
  std::string out;
  for (std::size_t at = 0; at < message.size(); at += max_fragment) {
    const auto fragment = message.substr(at, max_fragment);
    put8(out, 22);     // handshake
    put16(out, tls10); // record version: 1.0 for the widest compatibility
    vector(out, 2, fragment);
  }
  return out;
}

} // namespace qs::scanner::tls
