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

template<typename T> void add_unique(std::vector<T>& list, const T& item) {
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
  tls_scan_result run_thorough(yield y);
  tls_scan_result finish();

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
      if (!hrr_)
        o.key_share_groups = {0x001D, 0x0017}; // x25519, secp256r1
    } else {
      o.legacy_version = version;
      o.groups = groups_for(true);
      if (options_.economical) { // every curve and scheme still, the unseen ones first
        auto it = seen_.find(version);
        const seen_kx none;
        const auto& seen = it == seen_.end() ? none : it->second;
        o.groups = unseen_first(o.groups, seen.curves);
        codes shown = seen.schemes; // and those the keys cannot make: after the candidates
        for (auto code : o.signature_schemes)
          if (!could_sign(find_scheme(code)->name))
            shown.push_back(code);
        o.signature_schemes = unseen_first(o.signature_schemes, shown);
      }
    }
    return o;
  }

  hello_answer probe(const client_hello_offer& o, read_until until, yield y) {
    permit p(limit_, y);
    auto a = send_client_hello(ex_, to_, client_hello_records(o), until, options_.timeout, y);
    count(server_signed(a));
    if (options_.economical)
      observe(a);
    return a;
  }

  /// How far a probe of `version` reads: to the ServerHelloDone in TLS 1.2 and
  /// earlier when economical (its ServerKeyExchange names a curve and a scheme).
  read_until until_for(std::uint16_t version) const {
    return options_.economical && version < tls13 ? read_until::server_hello_done
                                                  : read_until::server_hello;
  }

  /// What a TLS 1.2 (or earlier) server's key exchange showed, by version.
  struct seen_kx {
    codes curves;
    codes schemes;
    std::string dhe;
  };

  void observe(const hello_answer& a) {
    if (!a.hello || a.hello->hello_retry || a.hello->version() >= tls13)
      return;
    const auto* suite = find_suite(a.hello->cipher_suite);
    if (!suite)
      return;
    auto& seen = seen_[a.hello->version()];
    for (const auto& m : a.after)
      if (m.type == 12) {
        auto ske = parse_server_key_exchange(m.body, suite->key_exchange, a.hello->version());
        auto* k = std::get_if<server_key_exchange>(&ske);
        if (!k)
          continue;
        if (k->named_curve)
          add_unique(seen.curves, *k->named_curve);
        if (!k->dh_prime.empty() && seen.dhe.empty())
          seen.dhe = dhe_group_name(k->dh_prime);
        if (k->signature_scheme)
          add_unique(seen.schemes, *k->signature_scheme);
      }
  }

  /// `all` with those not in `seen` first (each part in `all`'s order): a server
  /// that follows the client's order then shows one it has not shown yet.
  static codes unseen_first(const codes& all, const codes& seen) {
    codes out;
    for (auto c : all)
      if (std::find(seen.begin(), seen.end(), c) == seen.end())
        out.push_back(c);
    for (auto c : all)
      if (std::find(seen.begin(), seen.end(), c) != seen.end())
        out.push_back(c);
    return out;
  }

  /// The signature schemes the served keys could make, in the registry's order.
  codes candidate_schemes() const {
    codes out;
    for (auto code : all_schemes())
      if (could_sign(find_scheme(code)->name))
        out.push_back(code);
    return out;
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

  hello_answer probe_version(std::uint16_t version, yield y);
  void probe_versions(yield y);
  void probe_chains(yield y);
  codes enumerate_suites(std::uint16_t version, codes offered, yield y, codes head = {},
                         codes tail = {});
  std::optional<std::uint16_t> chosen_curve(std::uint16_t version, codes groups,
                                            bool with_certificate_curves, yield y);
  void probe_suites(std::uint16_t version, yield y);
  void probe_tls13_groups(yield y);
  void probe_tls12_groups(std::uint16_t version, yield y);
  void probe_tls12_schemes(yield y);
  void probe_tls13_groups_by_retry(yield y);
  void tls13_group_preference(const codes& found, yield y);
  void eliminate_tls12_curves(std::uint16_t version, yield y);
  void eliminate_tls12_schemes(yield y);
  void eliminate_tls12_together(yield y);
  void probe_tls13_schemes(yield y);
  void eliminate_tls13_schemes(yield y);

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
  /// TLS 1.3 hellos go without key shares: the server answers with a
  /// HelloRetryRequest (economical, and the server does so).
  bool hrr_ = false;
  std::map<std::uint16_t, hello_answer> version_answers_;
  std::map<std::uint16_t, seen_kx> seen_;
  std::vector<std::string> tls13_schemes_seen_; ///< by the chains' TLS 1.3 handshakes
  bool chains_in_tls13_ = false;                ///< a chain's handshake reached TLS 1.3
};

// A version's probe: every suite of it. TLS 1.3 economically goes first without a
// key share; a server that refuses that is asked again with shares, and then
// always with them.
hello_answer endpoint_scan::probe_version(std::uint16_t v, yield y) {
  auto o = offer(v, suites_for(v));
  if (v >= tls12)
    o.alpn = {"h2", "http/1.1"};
  if (v != tls13 || !options_.economical)
    return probe(o, until_for(v), y);
  auto shareless = o;
  shareless.key_share_groups = {};
  auto a = probe(shareless, read_until::server_hello, y);
  if (answered_with(a, tls13) && a.hello->hello_retry) {
    hrr_ = true;
    return a;
  }
  return probe(o, read_until::server_hello, y);
}

void endpoint_scan::probe_versions(yield y) {
  std::map<std::uint16_t, hello_answer> answers;
  std::vector<std::function<void(yield)>> tasks;
  for (auto v : versions_high_to_low)
    tasks.push_back([this, v, &answers](yield inner) { answers[v] = probe_version(v, inner); });
  run_all(ex_, std::move(tasks), y);
  version_answers_ = answers;
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
      if (!outcomes[i].tls13_scheme.empty())
        add_unique(tls13_schemes_seen_, outcomes[i].tls13_scheme);
      chains_in_tls13_ = chains_in_tls13_ || outcomes[i].protocol == "TLSv1.3";
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
// `head` and `tail` are suites already known to come first and last (taken out
// of `offered`).
codes endpoint_scan::enumerate_suites(std::uint16_t version, codes offered, yield y, codes head,
                                      codes tail) {
  codes accepted = std::move(head);
  for (auto code : accepted)
    offered.erase(std::remove(offered.begin(), offered.end(), code), offered.end());
  for (auto code : tail)
    offered.erase(std::remove(offered.begin(), offered.end(), code), offered.end());
  while (!offered.empty()) {
    auto a = probe(offer(version, offered), until_for(version), y);
    if (!answered_with(a, version))
      break;
    auto it = std::find(offered.begin(), offered.end(), a.hello->cipher_suite);
    if (it == offered.end())
      break; // a suite it was not offered: stop rather than loop
    accepted.push_back(*it);
    offered.erase(it);
  }
  accepted.insert(accepted.end(), tail.begin(), tail.end());
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
  auto in_parts = [&](const codes& heads, const codes& tails) {
    std::vector<codes> found(parts.size());
    std::vector<std::function<void(yield)>> tasks;
    for (std::size_t i = 0; i < parts.size(); ++i)
      tasks.push_back([&, i](yield inner) {
        codes head, tail; // the known suites of this partition
        for (auto code : heads)
          if (std::count(parts[i].begin(), parts[i].end(), code))
            head.push_back(code);
        for (auto code : tails)
          if (std::count(parts[i].begin(), parts[i].end(), code) &&
              !std::count(head.begin(), head.end(), code))
            tail.push_back(code);
        found[i] = enumerate_suites(version, parts[i], inner, head, tail);
      });
    run_all(ex_, std::move(tasks), y);
    codes accepted;
    for (const auto& f : found)
      accepted.insert(accepted.end(), f.begin(), f.end());
    return accepted;
  };
  codes accepted;
  bool server_order = false;
  if (options_.economical) {
    // Whether the server imposes its order, first: the version's probe offered
    // every suite; one more offers them reversed. The same choice both times:
    // its own order, enumerated in one sequence that starts with that choice.
    // Otherwise it follows ours: each partition in our order, the first choice
    // (the first accepted) leading its partition and the reversed one's choice
    // (the last accepted) closing its own.
    const auto all = suites_for(version);
    const auto& forward = version_answers_[version];
    auto backward = probe(offer(version, codes(all.rbegin(), all.rend())), until_for(version), y);
    const bool both = answered_with(forward, version) && answered_with(backward, version) &&
                      std::count(all.begin(), all.end(), forward.hello->cipher_suite) &&
                      std::count(all.begin(), all.end(), backward.hello->cipher_suite);
    if (both && forward.hello->cipher_suite == backward.hello->cipher_suite) {
      accepted = enumerate_suites(version, all, y, {forward.hello->cipher_suite});
      server_order = accepted.size() >= 2;
    } else if (both) {
      accepted = in_parts({forward.hello->cipher_suite}, {backward.hello->cipher_suite});
    } else {
      accepted = in_parts({}, {});
    }
  } else {
    accepted = in_parts({}, {});
    if (accepted.size() >= 2) {
      codes reversed(accepted.rbegin(), accepted.rend());
      auto forward = probe(offer(version, accepted), read_until::server_hello, y);
      auto backward = probe(offer(version, reversed), read_until::server_hello, y);
      server_order = answered_with(forward, version) && answered_with(backward, version) &&
                     forward.hello->cipher_suite == backward.hello->cipher_suite;
      if (server_order && parts.size() > 1) // the partitions' orders do not make one: ask again
        accepted = enumerate_suites(version, accepted, y);
    }
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
  tls13_group_preference(found, y);
}

// TLS 1.3 groups through HelloRetryRequests: offered every group left without a
// share, the server asks for the one it would take; take it out and offer the
// rest, until it refuses (the version's probe was the first round). What is
// left goes once more with a real share each, for a server that takes a group
// it would not ask for. The set does not depend on how the groups are split.
void endpoint_scan::probe_tls13_groups_by_retry(yield y) {
  const auto candidates = groups_for(false);
  // Three eliminations side by side (elliptic curves, finite-field groups,
  // post-quantum and hybrid groups), each offering only its own groups.
  std::vector<codes> parts(3);
  for (auto g : candidates) {
    const auto kind = find_group(g)->kind;
    parts[kind == group_kind::finite_field                                 ? 1
          : kind == group_kind::post_quantum || kind == group_kind::hybrid ? 2
                                                                           : 0]
        .push_back(g);
  }
  codes found;
  auto take = [&](codes& remaining, std::uint16_t group) {
    auto it = std::find(remaining.begin(), remaining.end(), group);
    if (it == remaining.end())
      return false;
    found.push_back(group);
    remaining.erase(it);
    return true;
  };
  auto ask = [&](codes& remaining, bool shares, yield inner) {
    auto o = offer(tls13, suites_for(tls13));
    o.groups = remaining;
    o.key_share_groups = shares ? remaining : codes{};
    auto a = probe(o, read_until::server_hello, inner);
    return answered_with(a, tls13) && a.hello->group && (shares || a.hello->hello_retry) &&
           take(remaining, *a.hello->group);
  };
  const auto& first = version_answers_[tls13];
  if (answered_with(first, tls13) && first.hello->hello_retry && first.hello->group)
    for (auto& part : parts)
      take(part, *first.hello->group);
  std::vector<std::function<void(yield)>> tasks;
  for (auto& part : parts)
    tasks.push_back([&](yield inner) {
      while (!part.empty() && ask(part, false, inner)) {
      }
    });
  run_all(ex_, std::move(tasks), y);
  codes remaining;
  for (const auto& part : parts)
    remaining.insert(remaining.end(), part.begin(), part.end());
  while (!remaining.empty() && ask(remaining, true, y)) {
  }
  codes ordered; // in the offer order, as the one-by-one probes list them
  for (auto g : candidates)
    if (std::count(found.begin(), found.end(), g))
      ordered.push_back(g);
  auto& names = inv_.groups_by_version["TLSv1.3"];
  for (auto g : ordered)
    names.push_back(group_name(g));
  tls13_group_preference(ordered, y);
}

void endpoint_scan::tls13_group_preference(const codes& found, yield y) {
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

// The curve the server uses when offered `groups` with the ECDHE suites (and the
// certificates' curves, which RFC 8422 makes a client offer for an ECDSA
// certificate).
std::optional<std::uint16_t> endpoint_scan::chosen_curve(std::uint16_t version, codes groups,
                                                         bool with_certificate_curves, yield y) {
  if (with_certificate_curves)
    for (auto c : certificate_curves_)
      if (std::find(groups.begin(), groups.end(), c) == groups.end())
        groups.push_back(c);
  auto o =
      offer(version, suites_where([version](const cipher_suite& s) {
              return s.key_exchange == "ECDHE" && !s.tls13 && (version >= tls12 || !s.tls12_only);
            }));
  o.groups = std::move(groups);
  auto a = probe(o, read_until::server_hello_done, y);
  if (!answered_with(a, version))
    return std::nullopt;
  for (const auto& m : a.after)
    if (m.type == 12)
      if (auto ske = parse_server_key_exchange(m.body, "ECDHE", version);
          std::holds_alternative<server_key_exchange>(ske))
        return std::get<server_key_exchange>(ske).named_curve;
  return std::nullopt;
}

void endpoint_scan::probe_tls12_groups(std::uint16_t version, yield y) {
  auto chosen = [this, version](codes groups, yield inner) {
    return chosen_curve(version, std::move(groups), true, inner);
  };
  codes accepted, remaining = groups_for(true);
  std::string dhe;
  std::vector<std::function<void(yield)>> tasks;
  // Elimination: offer what is left, take out the curve the server names, again.
  tasks.push_back([&](yield inner) {
    bool stalled = false;
    while (!remaining.empty()) {
      auto c = chosen(remaining, inner);
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
          [&, i](yield one) { found[i] = chosen({remaining[i]}, one) == remaining[i]; });
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

// The curves the suites' key exchanges did not show, by elimination: offer those
// left (and the certificates' curves), take out the one the server uses, again.
// A server that answers with a certificate's curve it has shown already prefers
// it to every curve left: those go once more without it (a server with an RSA
// certificate, or one that does not hold to RFC 8422, still answers; others
// refuse, which costs them nothing).
void endpoint_scan::eliminate_tls12_curves(std::uint16_t version, yield y) {
  const auto seen = seen_[version];
  codes accepted = seen.curves, remaining;
  for (auto c : groups_for(true))
    if (!std::count(accepted.begin(), accepted.end(), c))
      remaining.push_back(c);
  bool with_certificate_curves = true;
  while (!remaining.empty()) {
    auto c = chosen_curve(version, remaining, with_certificate_curves, y);
    if (!c)
      break;
    auto it = std::find(remaining.begin(), remaining.end(), *c);
    if (it == remaining.end()) {
      if (!with_certificate_curves)
        break; // a curve it was not offered: stop rather than loop
      with_certificate_curves = false;
      continue;
    }
    accepted.push_back(*c);
    remaining.erase(it);
  }
  auto& names = inv_.groups_by_version[version_name(version)];
  for (auto code : groups_for(true)) // in the registry's order
    if (std::find(accepted.begin(), accepted.end(), code) != accepted.end())
      names.push_back(group_name(code));
  if (!seen.dhe.empty())
    names.push_back(seen.dhe);
}

// TLS 1.2 curves and signature schemes not seen yet, together while both are
// left: offered only those, a server that answers signs once for a new curve and
// a new scheme (a server with its own order shows its first choice of each in
// every suite's probe, so most are left for here). The first refusal, or an
// answer with nothing new, leaves the rest to the eliminations of each alone.
void endpoint_scan::eliminate_tls12_together(yield y) {
  const auto ecdhe = suites_where(
      [](const cipher_suite& s) { return s.key_exchange == "ECDHE" && !s.tls13 && !s.anonymous; });
  for (;;) {
    const auto& seen = seen_[tls12];
    codes curves, schemes;
    for (auto c : groups_for(true))
      if (!std::count(seen.curves.begin(), seen.curves.end(), c))
        curves.push_back(c);
    for (auto code : candidate_schemes())
      if (!std::count(seen.schemes.begin(), seen.schemes.end(), code))
        schemes.push_back(code);
    if (curves.empty() || schemes.empty())
      return;
    for (auto c : certificate_curves_) // RFC 8422, as in chosen_curve
      if (!std::count(curves.begin(), curves.end(), c))
        curves.push_back(c);
    auto o = offer(tls12, ecdhe);
    o.groups = std::move(curves);
    o.signature_schemes = std::move(schemes);
    const auto known = seen.curves.size() + seen.schemes.size();
    probe(o, read_until::server_hello_done, y); // observe() takes what it shows
    if (seen.curves.size() + seen.schemes.size() == known)
      return;
  }
}

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

// Economical: the suites (which need only the versions) start as soon as the
// versions are known, beside the chains' handshakes; what needs the served keys
// (the TLS 1.2 curves and schemes left, the TLS 1.3 schemes) waits for those.
tls_scan_result endpoint_scan::run(yield y) {
  if (!options_.economical)
    return run_thorough(y);
  bool has12 = false, has13 = false;
  std::optional<std::uint16_t> best_legacy; // the highest version below 1.3 with ECDHE/DHE
  event chains_read(ex_);
  auto after_versions = [&](yield inner) {
    probe_versions(inner);
    has12 = std::count(versions_.begin(), versions_.end(), tls12) > 0;
    has13 = std::count(versions_.begin(), versions_.end(), tls13) > 0;
    for (auto v : versions_)
      if (v != tls13 && v != ssl3 && !best_legacy)
        best_legacy = v;
    std::vector<std::function<void(yield)>> tasks;
    for (auto v : versions_)
      tasks.push_back([&, v](yield one) {
        probe_suites(v, one);
        if (v != best_legacy) // the curves and schemes its suites did not show, next
          return;
        chains_read.wait(one);
        // Together only pays where the server keeps its own order (then it shows
        // the same curve and scheme in every suite's probe); one that follows
        // ours showed most already, and a refusal here would be one probe more.
        if (has12 && inv_.server_cipher_order["TLSv1.2"])
          eliminate_tls12_together(one);
        std::vector<std::function<void(yield)>> more;
        more.push_back([this, v](yield i) { eliminate_tls12_curves(v, i); });
        if (has12)
          more.push_back([this](yield i) { eliminate_tls12_schemes(i); });
        run_all(ex_, std::move(more), one);
      });
    if (has13)
      tasks.push_back(
          [this](yield one) { hrr_ ? probe_tls13_groups_by_retry(one) : probe_tls13_groups(one); });
    if (has13 && !has12)
      tasks.push_back([&](yield one) {
        chains_read.wait(one);
        eliminate_tls13_schemes(one);
      });
    run_all(ex_, std::move(tasks), inner);
  };
  run_all(ex_,
          {after_versions,
           [&](yield inner) {
             probe_chains(inner);
             chains_read.set();
           }},
          y);
  // A HelloRetryRequest comes before the server picks its certificate: a server
  // that cannot finish a TLS 1.3 handshake (no key of it signs in TLS 1.3) may
  // still send one. When no chain's handshake reached TLS 1.3, TLS 1.3 is asked
  // again with key shares, as the thorough probing asks it, and what the
  // HelloRetryRequests said of it is dropped if the server refuses.
  if (hrr_ && has13 && !chains_in_tls13_) {
    auto o = offer(tls13, suites_for(tls13));
    o.key_share_groups = {0x001D, 0x0017}; // x25519, secp256r1
    if (!answered_with(probe(o, read_until::server_hello, y), tls13)) {
      versions_.erase(std::find(versions_.begin(), versions_.end(), tls13));
      inv_.cipher_suites.erase("TLSv1.3");
      inv_.server_cipher_order.erase("TLSv1.3");
      inv_.groups_by_version.erase("TLSv1.3");
      inv_.group_preference.clear();
      inv_.preferred_group.clear();
      if (!has12)
        inv_.signature_schemes.clear();
    }
  }
  if (versions_.empty())
    return {{}, probes_, first_error_.empty() ? "no TLS version was accepted" : first_error_};
  return finish();
}

// The thorough probing: every version and the chains, then the rest.
tls_scan_result endpoint_scan::run_thorough(yield y) {
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
  return finish();
}

tls_scan_result endpoint_scan::finish() {
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
