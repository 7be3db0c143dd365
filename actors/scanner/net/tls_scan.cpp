#include "actors/scanner/net/tls_scan.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <optional>

#include <openssl/ssl.h>

#include "actors/scanner/tls/client_hello.hpp"
#include "actors/scanner/tls/offers.hpp"
#include "actors/scanner/tls/registry.hpp"
#include "actors/scanner/x509/certificate.hpp"

namespace qs::scanner::net {
namespace {

using namespace qs::scanner::tls;

void add_unique(std::vector<std::string>& list, const std::string& item) {
  if (std::find(list.begin(), list.end(), item) == list.end())
    list.push_back(item);
}

/// One endpoint's probes: the address, the name, the limit on probes at once.
class endpoint_scan {
public:
  endpoint_scan(asio::any_io_executor ex, tcp::endpoint to, std::string sni,
                tls_scan_options options)
      : ex_(std::move(ex)), to_(std::move(to)), sni_(std::move(sni)), options_(options),
        limit_(ex_, std::max<std::size_t>(1, options.probes_at_once)) {}

  tls_scan_result run(yield y);

private:
  client_hello_offer offer(std::uint16_t version, codes suites) const {
    client_hello_offer o;
    o.server_name = sni_;
    o.suites = std::move(suites);
    o.signature_schemes = all_schemes();
    if (version == tls13) {
      o.legacy_version = tls12;
      o.versions = {tls13};
      o.groups = groups_for(false);
      o.key_share_groups = {0x001D, 0x0017}; // x25519, secp256r1
    } else {
      o.legacy_version = version;
      o.groups = groups_for(true);
    }
    return o;
  }

  hello_answer probe(const client_hello_offer& o, read_until until, yield y) {
    permit p(limit_, y);
    auto a = send_client_hello(ex_, to_, client_hello_records(o), until, options_.timeout, y);
    count(server_signed(a));
    return a;
  }

  openssl_outcome handshake(const std::string& sigalgs, int max_version, yield y) {
    permit p(limit_, y);
    auto o = openssl_handshake(ex_, to_, sni_, sigalgs, max_version, options_.timeout, y);
    count(o.ok);
    return o;
  }

  void count(bool server_signed) {
    ++probes_.sent;
    probes_.server_signed += server_signed ? 1 : 0;
  }

  /// Whether the server computed a key share and signed to answer: a TLS 1.3
  /// ServerHello (its CertificateVerify follows in the same flight), or an
  /// ephemeral TLS 1.2 suite (its ServerKeyExchange).
  static bool server_signed(const hello_answer& a) {
    if (!a.hello || a.hello->hello_retry)
      return false;
    if (a.hello->version() >= tls13)
      return true;
    const auto* s = find_suite(a.hello->cipher_suite);
    return s && s->forward_secret;
  }

  /// Whether a key of the served certificates could make signatures of `scheme`
  /// (every scheme when no certificate was read).
  bool could_sign(std::string_view scheme) const {
    if (inv_.certificates.empty())
      return true;
    for (const auto& c : inv_.certificates) {
      if (c.position != 0)
        continue;
      const auto& t = c.info.key.type;
      if ((t == "RSA" &&
           (scheme.rfind("rsa_pkcs1", 0) == 0 || scheme.rfind("rsa_pss_rsae", 0) == 0)) ||
          (t == "RSA-PSS" && scheme.rfind("rsa_pss_pss", 0) == 0) ||
          (t == "EC" && scheme.rfind("ecdsa", 0) == 0) || (t == "Ed25519" && scheme == "ed25519") ||
          (t == "Ed448" && scheme == "ed448") || (t == "DSA" && scheme.rfind("dsa", 0) == 0) ||
          (t.rfind("ML-DSA", 0) == 0 && scheme.rfind("mldsa", 0) == 0))
        return true;
    }
    return false;
  }

  static bool answered_with(const hello_answer& a, std::uint16_t version) {
    return a.hello && a.hello->version() == version;
  }

  void probe_versions(yield y);
  void probe_chains(yield y);
  codes enumerate_suites(std::uint16_t version, codes offered, yield y);
  void probe_suites(std::uint16_t version, yield y);
  void probe_tls13_groups(yield y);
  void probe_tls12_groups(std::uint16_t version, yield y);
  void probe_tls12_schemes(yield y);
  void probe_tls13_schemes(yield y);

  asio::any_io_executor ex_;
  tcp::endpoint to_;
  std::string sni_;
  tls_scan_options options_;
  limiter limit_;

  std::vector<std::uint16_t> versions_; ///< accepted, high to low
  std::string first_error_;
  tls_inventory inv_;
  probe_counts probes_;
  std::vector<std::uint16_t> certificate_curves_; ///< groups of the EC certificates' curves
};

void endpoint_scan::probe_versions(yield y) {
  std::map<std::uint16_t, hello_answer> answers;
  std::vector<std::function<void(yield)>> tasks;
  for (auto v : versions_high_to_low)
    tasks.push_back([this, v, &answers](yield inner) {
      auto o = offer(v, suites_for(v));
      if (v >= tls12)
        o.alpn = {"h2", "http/1.1"};
      answers[v] = probe(o, read_until::server_hello, inner);
    });
  run_all(ex_, std::move(tasks), y);
  for (auto v : versions_high_to_low) {
    const auto& a = answers[v];
    if (answered_with(a, v)) {
      versions_.push_back(v);
      if (!a.hello->alpn.empty() && inv_.alpn.empty())
        inv_.alpn = a.hello->alpn;
    } else if (first_error_.empty() && !a.error.empty()) {
      first_error_ = a.error;
    }
  }
}

void endpoint_scan::probe_chains(yield y) {
  std::vector<openssl_outcome> outcomes(std::size(chain_classes));
  std::vector<std::function<void(yield)>> tasks;
  for (std::size_t i = 0; i < outcomes.size(); ++i)
    tasks.push_back([this, i, &outcomes](yield inner) {
      outcomes[i] = handshake(chain_classes[i].sigalgs, 0, inner);
    });
  run_all(ex_, std::move(tasks), y);
  std::vector<std::string> leaves;
  for (const auto& o : outcomes) {
    if (!o.ok || o.chain_der.empty())
      continue;
    auto leaf = describe_certificate(o.chain_der.front());
    if (!std::holds_alternative<certificate_info>(leaf))
      continue;
    const auto& leaf_info = std::get<certificate_info>(leaf);
    if (std::find(leaves.begin(), leaves.end(), leaf_info.sha256) != leaves.end())
      continue; // the same chain again
    const int chain = static_cast<int>(leaves.size());
    leaves.push_back(leaf_info.sha256);
    if (auto g = group_of_curve(leaf_info.key.curve))
      certificate_curves_.push_back(*g);
    for (std::size_t i = 0; i < o.chain_der.size(); ++i) {
      auto info = describe_certificate(o.chain_der[i]);
      if (auto* c = std::get_if<certificate_info>(&info))
        inv_.certificates.push_back({std::move(*c), chain, static_cast<int>(i)});
    }
  }
}

// Offers `offered`, takes out what the server chose, and offers the rest, until
// it refuses: the accepted suites, in the order the server chose them.
codes endpoint_scan::enumerate_suites(std::uint16_t version, codes offered, yield y) {
  codes accepted;
  while (!offered.empty()) {
    auto a = probe(offer(version, offered), read_until::server_hello, y);
    if (!answered_with(a, version))
      break;
    auto it = std::find(offered.begin(), offered.end(), a.hello->cipher_suite);
    if (it == offered.end())
      break; // a suite it was not offered: stop rather than loop
    accepted.push_back(*it);
    offered.erase(it);
  }
  return accepted;
}

void endpoint_scan::probe_suites(std::uint16_t version, yield y) {
  // Three partitions side by side: ECDHE/ECDH, DHE/DH, the rest (TLS 1.3: one).
  std::vector<codes> parts;
  if (version == tls13) {
    parts.push_back(suites_for(tls13));
  } else {
    auto all = suites_for(version);
    codes ec, dh, rest;
    for (auto code : all) {
      const auto kx = find_suite(code)->key_exchange;
      (kx == "ECDHE" || kx == "ECDH" ? ec : kx == "DHE" || kx == "DH" ? dh : rest).push_back(code);
    }
    parts = {ec, dh, rest};
  }
  std::vector<codes> found(parts.size());
  std::vector<std::function<void(yield)>> tasks;
  for (std::size_t i = 0; i < parts.size(); ++i)
    tasks.push_back([this, i, version, &parts, &found](yield inner) {
      found[i] = enumerate_suites(version, parts[i], inner);
    });
  run_all(ex_, std::move(tasks), y);
  codes accepted;
  for (const auto& f : found)
    accepted.insert(accepted.end(), f.begin(), f.end());
  bool server_order = false;
  if (accepted.size() >= 2) {
    codes reversed(accepted.rbegin(), accepted.rend());
    auto forward = probe(offer(version, accepted), read_until::server_hello, y);
    auto backward = probe(offer(version, reversed), read_until::server_hello, y);
    server_order = answered_with(forward, version) && answered_with(backward, version) &&
                   forward.hello->cipher_suite == backward.hello->cipher_suite;
    if (server_order && parts.size() > 1) // the partitions' orders do not make one: ask again
      accepted = enumerate_suites(version, accepted, y);
  }
  const auto name = version_name(version);
  auto& list = inv_.cipher_suites[name];
  for (auto code : accepted)
    list.push_back(suite_name(code));
  inv_.server_cipher_order[name] = server_order;
}

void endpoint_scan::probe_tls13_groups(yield y) {
  const auto candidates = groups_for(false);
  std::vector<bool> accepted(candidates.size(), false);
  std::vector<std::function<void(yield)>> tasks;
  for (std::size_t i = 0; i < candidates.size(); ++i)
    tasks.push_back([this, i, &candidates, &accepted](yield inner) {
      // First without a share: a server that wants the group asks for it in a
      // HelloRetryRequest, which costs it nothing (a full handshake with an
      // ffdhe8192 share costs it 0.2 s). Some servers refuse a hello without a
      // share: then the group is offered again with a real one.
      auto o = offer(tls13, suites_for(tls13));
      o.groups = {candidates[i]};
      o.key_share_groups = {};
      auto a = probe(o, read_until::server_hello, inner);
      if (answered_with(a, tls13) && a.hello->hello_retry && a.hello->group == candidates[i]) {
        accepted[i] = true;
        return;
      }
      o.key_share_groups = {candidates[i]};
      a = probe(o, read_until::server_hello, inner);
      accepted[i] = answered_with(a, tls13) && a.hello->group == candidates[i];
    });
  run_all(ex_, std::move(tasks), y);
  codes found;
  for (std::size_t i = 0; i < candidates.size(); ++i)
    if (accepted[i])
      found.push_back(candidates[i]);
  auto& names = inv_.groups_by_version["TLSv1.3"];
  for (auto g : found)
    names.push_back(group_name(g));
  if (found.empty())
    return;
  if (found.size() == 1) {
    inv_.preferred_group = group_name(found.front());
    return;
  }
  // Preference: the two cheapest accepted groups, each with a share, in both
  // orders. The same choice both times is the server's own order (and that
  // group its preferred); otherwise it follows the client, and its preferred
  // group is the one it asks for (HelloRetryRequest) when offered every accepted
  // group in our order with a share only for the cheapest.
  codes by_cost = found;
  std::stable_sort(by_cost.begin(), by_cost.end(), [](std::uint16_t a, std::uint16_t b) {
    return find_group(a)->key_share_bytes < find_group(b)->key_share_bytes;
  });
  auto choose = [&](codes order, codes shares) -> std::optional<std::uint16_t> {
    auto o = offer(tls13, suites_for(tls13));
    o.groups = std::move(order);
    o.key_share_groups = std::move(shares);
    auto a = probe(o, read_until::server_hello, y);
    if (!answered_with(a, tls13) || !a.hello->group)
      return std::nullopt;
    return *a.hello->group;
  };
  const codes pair = {by_cost[0], by_cost[1]};
  const auto forward = choose(pair, pair);
  const auto backward = choose({pair[1], pair[0]}, {pair[1], pair[0]});
  if (!forward || !backward)
    return;
  inv_.group_preference = *forward == *backward ? "server" : "client";
  auto wanted = *forward == *backward ? forward : choose(found, {by_cost.front()});
  if (wanted)
    inv_.preferred_group = group_name(*wanted);
}

void endpoint_scan::probe_tls12_groups(std::uint16_t version, yield y) {
  const auto ecdhe = suites_where([version](const cipher_suite& s) {
    return s.key_exchange == "ECDHE" && !s.tls13 && (version >= tls12 || !s.tls12_only);
  });
  // The curve the server uses when offered `groups` (and the certificates'
  // curves, which RFC 8422 makes a client offer for an ECDSA certificate).
  auto chosen_curve = [this, version, &ecdhe](codes groups,
                                              yield inner) -> std::optional<std::uint16_t> {
    for (auto c : certificate_curves_)
      if (std::find(groups.begin(), groups.end(), c) == groups.end())
        groups.push_back(c);
    auto o = offer(version, ecdhe);
    o.groups = std::move(groups);
    auto a = probe(o, read_until::server_hello_done, inner);
    if (!answered_with(a, version))
      return std::nullopt;
    for (const auto& m : a.after)
      if (m.type == 12)
        if (auto ske = parse_server_key_exchange(m.body, "ECDHE", version);
            std::holds_alternative<server_key_exchange>(ske))
          return std::get<server_key_exchange>(ske).named_curve;
    return std::nullopt;
  };
  codes accepted, remaining = groups_for(true);
  std::string dhe;
  std::vector<std::function<void(yield)>> tasks;
  // Elimination: offer what is left, take out the curve the server names, again.
  tasks.push_back([&](yield inner) {
    bool stalled = false;
    while (!remaining.empty()) {
      auto c = chosen_curve(remaining, inner);
      if (!c)
        break;
      auto it = std::find(remaining.begin(), remaining.end(), *c);
      if (it == remaining.end()) { // a certificate curve it prefers hides the rest
        stalled = true;
        break;
      }
      accepted.push_back(*c);
      remaining.erase(it);
    }
    if (!stalled)
      return;
    std::vector<bool> found(remaining.size(), false);
    std::vector<std::function<void(yield)>> singles;
    for (std::size_t i = 0; i < remaining.size(); ++i)
      singles.push_back(
          [&, i](yield one) { found[i] = chosen_curve({remaining[i]}, one) == remaining[i]; });
    run_all(ex_, std::move(singles), inner);
    for (std::size_t i = 0; i < remaining.size(); ++i)
      if (found[i])
        accepted.push_back(remaining[i]);
  });
  // The DHE group, from one probe of the DHE suites.
  tasks.push_back([this, version, &dhe](yield inner) {
    auto o = offer(version, suites_where([version](const cipher_suite& s) {
                     return s.key_exchange == "DHE" && (version >= tls12 || !s.tls12_only);
                   }));
    auto a = probe(o, read_until::server_hello_done, inner);
    if (!answered_with(a, version))
      return;
    for (const auto& m : a.after)
      if (m.type == 12) {
        auto ske = parse_server_key_exchange(m.body, "DHE", version);
        if (auto* k = std::get_if<server_key_exchange>(&ske); k && !k->dh_prime.empty())
          dhe = dhe_group_name(k->dh_prime);
      }
  });
  run_all(ex_, std::move(tasks), y);
  auto& names = inv_.groups_by_version[version_name(version)];
  for (auto code : groups_for(true)) // in the registry's order
    if (std::find(accepted.begin(), accepted.end(), code) != accepted.end())
      names.push_back(group_name(code));
  if (!dhe.empty())
    names.push_back(dhe);
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
      add_unique(inv_.signature_schemes, tls13_schemes[i]);
}

tls_scan_result endpoint_scan::run(yield y) {
  run_all(ex_,
          {[this](yield inner) { probe_versions(inner); },
           [this](yield inner) { probe_chains(inner); }},
          y);
  if (versions_.empty())
    return {{}, probes_, first_error_.empty() ? "no TLS version was accepted" : first_error_};
  const bool has12 = std::count(versions_.begin(), versions_.end(), tls12) > 0;
  const bool has13 = std::count(versions_.begin(), versions_.end(), tls13) > 0;
  std::optional<std::uint16_t> best_legacy; // the highest version below 1.3 with ECDHE/DHE
  for (auto v : versions_)
    if (v != tls13 && v != ssl3 && !best_legacy)
      best_legacy = v;
  std::vector<std::function<void(yield)>> tasks;
  for (auto v : versions_)
    tasks.push_back([this, v](yield inner) { probe_suites(v, inner); });
  if (has13)
    tasks.push_back([this](yield inner) { probe_tls13_groups(inner); });
  if (best_legacy)
    tasks.push_back([this, v = *best_legacy](yield inner) { probe_tls12_groups(v, inner); });
  if (has12)
    tasks.push_back([this](yield inner) { probe_tls12_schemes(inner); });
  else if (has13)
    tasks.push_back([this](yield inner) { probe_tls13_schemes(inner); });
  run_all(ex_, std::move(tasks), y);

  for (auto it = versions_.rbegin(); it != versions_.rend(); ++it)
    inv_.protocols.push_back(version_name(*it));
  for (auto v : versions_) // newest first
    if (auto it = inv_.groups_by_version.find(version_name(v)); it != inv_.groups_by_version.end())
      for (const auto& g : it->second)
        add_unique(inv_.groups, g);
  return {std::move(inv_), probes_, {}};
}

} // namespace

tls_scan_result scan_tls(asio::any_io_executor ex, const tcp::endpoint& to, const std::string& sni,
                         const tls_scan_options& options, yield y) {
  endpoint_scan scan(std::move(ex), to, sni, options);
  return scan.run(y);
}

} // namespace qs::scanner::net
