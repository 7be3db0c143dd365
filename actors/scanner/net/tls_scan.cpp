#include "actors/scanner/net/tls_scan.hpp"

#include <algorithm>
#include <functional>
#include <optional>

#include "actors/scanner/net/tls_endpoint_scan.hpp"

namespace qs::scanner::net {
namespace detail {

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

} // namespace detail

tls_scan_result scan_tls(asio::any_io_executor ex, const tcp::endpoint& to, const std::string& sni,
                         const tls_scan_options& options, yield y) {
  detail::endpoint_scan scan(std::move(ex), to, sni, options);
  return scan.run(y);
}

} // namespace qs::scanner::net
