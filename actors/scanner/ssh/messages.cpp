#include "actors/scanner/ssh/messages.hpp"

#include <charconv>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "actors/scanner/byte_reader.hpp"

namespace qs::scanner::ssh {
namespace {

constexpr std::size_t max_banner = 8192;       // all lines before and the identification line
constexpr std::size_t max_packet = 256 * 1024; // RFC 4253 6.1: at least 35000 must be handled

void put32(std::string& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8)
    out += static_cast<char>((v >> shift) & 0xff);
}

void put_string(std::string& out, std::string_view s) {
  put32(out, static_cast<std::uint32_t>(s.size()));
  out += s;
}

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i)
    out += (i ? "," : "") + names[i];
  return out;
}

// An SSH name-list: "" is no names; "a,,b" keeps its empty name, as sent.
std::vector<std::string> split(std::string_view list) {
  std::vector<std::string> out;
  if (list.empty())
    return out;
  for (std::size_t start = 0;;) {
    const auto comma = list.find(',', start);
    out.emplace_back(list.substr(start, comma == std::string_view::npos ? comma : comma - start));
    if (comma == std::string_view::npos)
      return out;
    start = comma + 1;
  }
}

std::string random_bytes(std::size_t n) {
  std::string out(n, '\0');
  RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n));
  return out;
}

// Bits of an SSH mpint (two's complement, big-endian).
int mpint_bits(std::string_view m) {
  while (!m.empty() && m.front() == '\0')
    m.remove_prefix(1);
  if (m.empty())
    return 0;
  int bits = static_cast<int>(m.size()) * 8;
  for (unsigned char top = static_cast<unsigned char>(m.front()); !(top & 0x80); top <<= 1)
    --bits;
  return bits;
}

} // namespace

std::optional<std::variant<banner_split, std::string>> split_banner(std::string_view received) {
  std::size_t at = 0;
  while (true) {
    const auto end = received.find('\n', at);
    if (end == std::string_view::npos) {
      if (received.size() > max_banner)
        return std::variant<banner_split, std::string>(std::string("no SSH identification line"));
      return std::nullopt; // wait for the end of the line
    }
    auto line = received.substr(at, end - at);
    if (!line.empty() && line.back() == '\r')
      line.remove_suffix(1);
    if (line.rfind("SSH-", 0) == 0) {
      if (line.rfind("SSH-2.0-", 0) != 0 && line.rfind("SSH-1.99-", 0) != 0)
        return std::variant<banner_split, std::string>("not SSH 2: the server says \"" +
                                                       std::string(line.substr(0, 64)) + "\"");
      return std::variant<banner_split, std::string>(
          banner_split{std::string(line), std::string(received.substr(end + 1))});
    }
    at = end + 1;
    if (at > max_banner)
      return std::variant<banner_split, std::string>(
          std::string("not SSH: no identification line"));
  }
}

std::optional<std::string> packet_reader::next() {
  if (!error_.empty() || buffer_.size() < 5)
    return std::nullopt;
  byte_reader r(buffer_);
  const auto length = r.u32();
  const auto padding = r.u8();
  if (length > max_packet || length < 5 || padding >= length) {
    error_ = "malformed SSH packet (length " + std::to_string(length) + ")";
    return std::string();
  }
  if (buffer_.size() < 4 + static_cast<std::size_t>(length))
    return std::nullopt;
  std::string payload = buffer_.substr(5, length - 1 - padding);
  buffer_.erase(0, 4 + length);
  return payload;
}

std::string packet(std::string_view payload) {
  std::size_t padding = 8 - (5 + payload.size()) % 8;
  if (padding < 4)
    padding += 8;
  std::string out;
  put32(out, static_cast<std::uint32_t>(1 + payload.size() + padding));
  out += static_cast<char>(padding);
  out += payload;
  out += random_bytes(padding);
  return out;
}

std::variant<kexinit, std::string> parse_kexinit(std::string_view payload) {
  byte_reader r(payload);
  if (r.u8() != 20)
    return std::string("not a KEXINIT");
  r.take(16); // cookie
  kexinit k;
  for (auto* list :
       {&k.kex, &k.host_key_algorithms, &k.ciphers_client_to_server, &k.ciphers_server_to_client,
        &k.macs_client_to_server, &k.macs_server_to_client, &k.compression_client_to_server,
        &k.compression_server_to_client})
    *list = split(r.vector(4));
  if (r.failed())
    return std::string("a KEXINIT cut short");
  return k;
}

std::string kexinit_payload(const std::string& kex, const std::string& host_key_algorithm,
                            const kexinit& server) {
  std::string out;
  out += static_cast<char>(20);
  out += random_bytes(16);
  put_string(out, kex);
  put_string(out, host_key_algorithm);
  put_string(out, join(server.ciphers_client_to_server));
  put_string(out, join(server.ciphers_server_to_client));
  put_string(out, join(server.macs_client_to_server));
  put_string(out, join(server.macs_server_to_client));
  put_string(out, join(server.compression_client_to_server));
  put_string(out, join(server.compression_server_to_client));
  put_string(out, "");
  put_string(out, "");
  out += '\0'; // first_kex_packet_follows
  put32(out, 0);
  return out;
}

std::string kex_init_payload(std::string_view client_public, bool mpint) {
  std::string out;
  out += static_cast<char>(30); // SSH_MSG_KEX_ECDH_INIT = SSH_MSG_KEXDH_INIT
  if (mpint && !client_public.empty() && (static_cast<unsigned char>(client_public.front()) & 0x80))
    put_string(out, std::string(1, '\0') + std::string(client_public));
  else
    put_string(out, client_public);
  return out;
}

std::variant<host_key, std::string> parse_host_key(std::string_view blob) {
  byte_reader r(blob);
  host_key key;
  key.type = std::string(r.vector(4));
  key.blob = std::string(blob);
  if (key.type == "ssh-rsa") {
    r.vector(4); // e
    key.bits = mpint_bits(r.vector(4));
  } else if (key.type == "ssh-dss") {
    key.bits = mpint_bits(r.vector(4)); // p
  } else if (key.type.rfind("ecdsa-sha2-nistp", 0) == 0) {
    const auto digits = std::string_view(key.type).substr(16); // a server may send anything
    if (std::from_chars(digits.data(), digits.data() + digits.size(), key.bits).ec != std::errc{})
      key.bits = 0;
  } else if (key.type == "ssh-ed25519" || key.type == "sk-ssh-ed25519@openssh.com") {
    key.bits = 256;
  } else if (key.type == "ssh-ed448") {
    key.bits = 456;
  }
  if (r.failed())
    return std::string("a host key blob cut short");
  return key;
}

std::variant<host_key, std::string> parse_kex_reply(std::string_view payload) {
  byte_reader r(payload);
  const auto type = r.u8();
  if (type != 31)
    return "expected the key exchange reply, got message " + std::to_string(type);
  const auto blob = r.vector(4);
  if (r.failed())
    return std::string("a key exchange reply cut short");
  return parse_host_key(blob);
}

std::string fingerprint(std::string_view blob) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(blob.data(), blob.size(), md, &n, EVP_sha256(), nullptr);
  unsigned char b64[64] = {};
  const int len = EVP_EncodeBlock(b64, md, static_cast<int>(n));
  std::string out(reinterpret_cast<char*>(b64), static_cast<std::size_t>(len));
  while (!out.empty() && out.back() == '=')
    out.pop_back();
  return "SHA256:" + out;
}

} // namespace qs::scanner::ssh
