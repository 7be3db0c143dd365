#include "actors/scanner/net/tls_endpoint_scan.hpp"

#include <algorithm>
#include <functional>
#include <optional>

#include <openssl/ssl.h>

namespace qs::scanner::net::detail {

// The signature schemes the ServerKeyExchanges did not show, several at a time:
// offer those left, take out the one the server signs with, again, until it
// refuses (which costs it nothing).
void endpoint_scan::eliminate_tls12_schemes(yield y) {
  const auto signed_suites = suites_where([](const cipher_suite& s) {
    return (s.key_exchange == "ECDHE" || s.key_exchange == "DHE") && !s.anonymous;
  });
  codes accepted = seen_[tls12].schemes, remaining;
  for (auto code : candidate_schemes())
    if (!std::count(accepted.begin(), accepted.end(), code))
      remaining.push_back(code);
  while (!remaining.empty()) {
    auto o = offer(tls12, signed_suites);
    o.signature_schemes = remaining;
    auto a = probe(o, read_until::server_hello_done, y);
    if (!answered_with(a, tls12))
      break;
    const auto* kx = find_suite(a.hello->cipher_suite);
    std::optional<std::uint16_t> scheme;
    for (const auto& m : a.after)
      if (m.type == 12 && kx) {
        auto ske = parse_server_key_exchange(m.body, kx->key_exchange, tls12);
        if (auto* k = std::get_if<server_key_exchange>(&ske))
          scheme = k->signature_scheme;
      }
    auto it = scheme ? std::find(remaining.begin(), remaining.end(), *scheme) : remaining.end();
    if (it == remaining.end())
      break;
    accepted.push_back(*it);
    remaining.erase(it);
  }
  for (auto code : all_schemes()) // in the registry's order
    if (std::count(accepted.begin(), accepted.end(), code))
      add_unique(inv_.signature_schemes, std::string(find_scheme(code)->name));
}

void endpoint_scan::probe_tls12_schemes(yield y) {
  const auto signed_suites = suites_where([](const cipher_suite& s) {
    return (s.key_exchange == "ECDHE" || s.key_exchange == "DHE") && !s.anonymous;
  });
  codes schemes;
  for (auto code : all_schemes())
    if (could_sign(find_scheme(code)->name))
      schemes.push_back(code);
  std::vector<bool> accepted(schemes.size(), false);
  std::vector<std::function<void(yield)>> tasks;
  for (std::size_t i = 0; i < schemes.size(); ++i)
    tasks.push_back([this, i, &schemes, &signed_suites, &accepted](yield inner) {
      auto o = offer(tls12, signed_suites);
      o.signature_schemes = {schemes[i]};
      auto a = probe(o, read_until::server_hello_done, inner);
      if (!answered_with(a, tls12))
        return;
      const auto kx = find_suite(a.hello->cipher_suite);
      for (const auto& m : a.after)
        if (m.type == 12 && kx) {
          auto ske = parse_server_key_exchange(m.body, kx->key_exchange, tls12);
          if (auto* k = std::get_if<server_key_exchange>(&ske))
            accepted[i] = k->signature_scheme == schemes[i];
        }
    });
  run_all(ex_, std::move(tasks), y);
  for (std::size_t i = 0; i < schemes.size(); ++i)
    if (accepted[i])
      add_unique(inv_.signature_schemes, std::string(find_scheme(schemes[i])->name));
}

// TLS 1.3 signature schemes (encrypted: through OpenSSL) the chains' handshakes
// did not show, several at a time: offer those left, take out the one the
// server signed with, until it refuses.
void endpoint_scan::eliminate_tls13_schemes(yield y) {
  std::vector<std::string> accepted = tls13_schemes_seen_, remaining;
  for (const char* s : tls13_schemes)
    if (could_sign(s) && !std::count(accepted.begin(), accepted.end(), s))
      remaining.emplace_back(s);
  while (!remaining.empty()) {
    std::string list;
    for (const auto& s : remaining)
      list += (list.empty() ? "" : ":") + s;
    auto o = handshake(list, TLS1_3_VERSION, y);
    auto it = std::find(remaining.begin(), remaining.end(), o.tls13_scheme);
    if (!o.ok || it == remaining.end())
      break;
    accepted.push_back(*it);
    remaining.erase(it);
  }
  for (const char* s : tls13_schemes) // in the table's order
    if (std::count(accepted.begin(), accepted.end(), s))
      add_unique(inv_.signature_schemes, std::string(s));
}

void endpoint_scan::probe_tls13_schemes(yield y) {
  std::vector<bool> accepted(std::size(tls13_schemes), false);
  std::vector<std::function<void(yield)>> tasks;
  for (std::size_t i = 0; i < accepted.size(); ++i)
    if (could_sign(tls13_schemes[i]))
      tasks.push_back([this, i, &accepted](yield inner) {
        accepted[i] = handshake(tls13_schemes[i], TLS1_3_VERSION, inner).ok;
      });
  run_all(ex_, std::move(tasks), y);
  for (std::size_t i = 0; i < accepted.size(); ++i)
    if (accepted[i])
      add_unique(inv_.signature_schemes, std::string(tls13_schemes[i]));
}

} // namespace qs::scanner::net::detail
