#include "actors/scanner/net/ssh_scan.hpp"

#include <algorithm>
#include <cctype>

#include <boost/asio/write.hpp>
#include <openssl/bn.h>
#include <openssl/rand.h>

#include "actors/scanner/ssh/messages.hpp"
#include "actors/scanner/tls/key_shares.hpp"
#include "actors/scanner/tls/registry.hpp"

namespace qs::scanner::net {
namespace {

using error_code = boost::system::error_code;
constexpr std::string_view our_banner = "SSH-2.0-qscan_" QS_VERSION "\r\n";

// The key exchanges a probe can run, best first, and how to make the client's value.
struct kex_method {
  const char* name;
  const char* curve; ///< TLS group name of the curve, or "" (X25519 / finite field)
  int dh_bits;       ///< finite field: the MODP group
};
constexpr kex_method methods[] = {{"curve25519-sha256", "", 0},
                                  {"curve25519-sha256@libssh.org", "", 0},
                                  {"ecdh-sha2-nistp256", "secp256r1", 0},
                                  {"ecdh-sha2-nistp384", "secp384r1", 0},
                                  {"ecdh-sha2-nistp521", "secp521r1", 0},
                                  {"diffie-hellman-group14-sha256", "", 2048},
                                  {"diffie-hellman-group16-sha512", "", 4096},
                                  {"diffie-hellman-group18-sha512", "", 8192},
                                  {"diffie-hellman-group14-sha1", "", 2048},
                                  {"diffie-hellman-group1-sha1", "", 1024}};

// 2^x mod p for RFC 3526 (or RFC 2409's 1024-bit) MODP group of `bits`.
std::string modp_public(int bits) {
  BIGNUM* p = bits == 1024   ? BN_get_rfc2409_prime_1024(nullptr)
              : bits == 2048 ? BN_get_rfc3526_prime_2048(nullptr)
              : bits == 4096 ? BN_get_rfc3526_prime_4096(nullptr)
                             : BN_get_rfc3526_prime_8192(nullptr);
  BIGNUM* g = BN_new();
  BIGNUM* x = BN_new();
  BIGNUM* y = BN_new();
  BN_CTX* ctx = BN_CTX_new();
  std::string out;
  if (p && g && x && y && ctx && BN_set_word(g, 2) && BN_rand(x, 256, 0, 0) &&
      BN_mod_exp(y, g, x, p, ctx)) {
    out.assign(static_cast<std::size_t>(BN_num_bytes(y)), '\0');
    BN_bn2bin(y, reinterpret_cast<unsigned char*>(out.data()));
  }
  BN_CTX_free(ctx);
  BN_free(y);
  BN_free(x);
  BN_free(g);
  BN_free(p);
  return out;
}

std::string client_public(const kex_method& m) {
  if (m.dh_bits)
    return modp_public(m.dh_bits);
  if (m.curve[0])
    return tls::key_share_for(*tls::find_group(std::string_view(m.curve)));
  return tls::key_share_for(*tls::find_group(std::string_view("x25519")));
}

// One connection, as far as the server's KEXINIT (and, with `method`, through a
// key exchange with `host_key_algorithm` up to the server's reply).
struct ssh_exchange {
  std::string banner;
  std::optional<ssh::kexinit> server;
  std::optional<ssh::host_key> key;
  std::string error;
};

ssh_exchange exchange(asio::any_io_executor ex, const tcp::endpoint& to,
                      std::chrono::milliseconds timeout, const kex_method* method,
                      const std::string& host_key_algorithm, yield y) {
  ssh_exchange out;
  auto connected = connect(ex, to, timeout, y);
  if (auto* why = std::get_if<std::string>(&connected)) {
    out.error = *why;
    return out;
  }
  auto& socket = std::get<tcp::socket>(connected);
  asio::steady_timer limit(ex, timeout);
  bool fired = false;
  limit.async_wait([&](error_code ec) {
    if (!ec) {
      fired = true;
      error_code ignored;
      socket.cancel(ignored);
    }
  });
  error_code ec;
  asio::async_write(socket, asio::buffer(our_banner.data(), our_banner.size()), y[ec]);
  std::string received;
  ssh::packet_reader packets;
  bool have_banner = false;
  char buf[16384];
  while (!ec) {
    const auto n = socket.async_read_some(asio::buffer(buf), y[ec]);
    if (ec)
      break;
    if (!have_banner) {
      received.append(buf, n);
      auto split = ssh::split_banner(received);
      if (!split)
        continue;
      if (auto* why = std::get_if<std::string>(&*split)) {
        out.error = *why;
        break;
      }
      auto& b = std::get<ssh::banner_split>(*split);
      out.banner = b.banner;
      packets.feed(b.rest);
      have_banner = true;
    } else {
      packets.feed(std::string_view(buf, n));
    }
    bool finished = false;
    while (auto payload = packets.next()) {
      if (!packets.error().empty()) {
        out.error = packets.error();
        finished = true;
        break;
      }
      if (payload->empty())
        continue;
      const auto type = static_cast<unsigned char>((*payload)[0]);
      if (type == 20 && !out.server) {
        auto k = ssh::parse_kexinit(*payload);
        if (auto* why = std::get_if<std::string>(&k)) {
          out.error = *why;
          finished = true;
          break;
        }
        out.server = std::get<ssh::kexinit>(k);
        if (!method) {
          finished = true;
          break;
        }
        const auto ours =
            ssh::packet(ssh::kexinit_payload(method->name, host_key_algorithm, *out.server)) +
            ssh::packet(ssh::kex_init_payload(client_public(*method), method->dh_bits > 0));
        asio::async_write(socket, asio::buffer(ours), y[ec]);
      } else if (type == 31) {
        auto key = ssh::parse_kex_reply(*payload);
        if (auto* k = std::get_if<ssh::host_key>(&key))
          out.key = *k;
        else
          out.error = std::get<std::string>(key);
        finished = true;
        break;
      } else if (type == 1) { // disconnect
        out.error = "the server disconnected";
        finished = true;
        break;
      }
    }
    if (finished)
      break;
  }
  limit.cancel();
  if (out.error.empty() && !have_banner && !received.empty()) {
    std::string shown;
    for (char c : received.substr(0, 32))
      shown += std::isprint(static_cast<unsigned char>(c)) ? c : '.';
    out.error = "not SSH: the server sent \"" + shown + "\"";
  }
  if (out.error.empty() && (!out.server || (method && !out.key)))
    out.error = fired ? "timed out"
                : ec  ? (ec == asio::error::eof ? "closed by the server" : ec.message())
                      : "no answer";
  error_code ignored;
  socket.shutdown(tcp::socket::shutdown_both, ignored);
  return out;
}

} // namespace

ssh_scan_result scan_ssh(asio::any_io_executor ex, const tcp::endpoint& to,
                         const ssh_scan_options& options, yield y) {
  ssh_scan_result result;
  auto first = exchange(ex, to, options.timeout, nullptr, "", y);
  result.probes.sent = 1;
  if (!first.server) {
    result.error = first.error.empty() ? "no KEXINIT" : first.error;
    return result;
  }
  auto& inv = result.inventory;
  const auto& k = *first.server;
  inv.banner = first.banner;
  inv.kex = k.kex;
  inv.host_key_algorithms = k.host_key_algorithms;
  inv.ciphers = k.ciphers_server_to_client;
  for (const auto& c : k.ciphers_client_to_server)
    if (std::find(inv.ciphers.begin(), inv.ciphers.end(), c) == inv.ciphers.end())
      inv.ciphers.push_back(c);
  inv.macs = k.macs_server_to_client;
  for (const auto& m : k.macs_client_to_server)
    if (std::find(inv.macs.begin(), inv.macs.end(), m) == inv.macs.end())
      inv.macs.push_back(m);
  inv.compression = k.compression_server_to_client;

  const kex_method* method = nullptr;
  for (const auto& m : methods)
    if (!method && std::find(k.kex.begin(), k.kex.end(), m.name) != k.kex.end())
      method = &m;
  if (!method)
    return result; // host keys cannot be read: only post-quantum or unknown key exchanges

  limiter limit(ex, std::max<std::size_t>(1, options.probes_at_once));
  std::vector<std::optional<ssh::host_key>> keys(k.host_key_algorithms.size());
  std::vector<std::function<void(yield)>> tasks;
  for (std::size_t i = 0; i < keys.size(); ++i)
    tasks.push_back([&, i](yield inner) {
      permit p(limit, inner);
      auto e = exchange(ex, to, options.timeout, method, k.host_key_algorithms[i], inner);
      ++result.probes.sent;
      result.probes.server_signed += e.key ? 1 : 0;
      keys[i] = e.key;
    });
  run_all(ex, std::move(tasks), y);
  for (const auto& key : keys) {
    if (!key)
      continue;
    const auto print = ssh::fingerprint(key->blob);
    if (std::none_of(inv.host_keys.begin(), inv.host_keys.end(),
                     [&](const ssh_host_key& h) { return h.sha256 == print; }))
      inv.host_keys.push_back({key->type, key->bits, print});
  }
  return result;
}

} // namespace qs::scanner::net
