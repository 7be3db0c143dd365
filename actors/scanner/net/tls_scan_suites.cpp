#include "actors/scanner/net/tls_endpoint_scan.hpp"

#include <algorithm>
#include <functional>
#include <map>

#include "actors/scanner/x509/certificate.hpp"

namespace qs::scanner::net::detail {

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

} // namespace qs::scanner::net::detail
