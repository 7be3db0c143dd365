#include "actors/scanner/net/tls_endpoint_scan.hpp"

#include <algorithm>
#include <functional>
#include <optional>

namespace qs::scanner::net::detail {

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

} // namespace qs::scanner::net::detail
