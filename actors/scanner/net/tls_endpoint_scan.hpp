// The private class behind scan_tls (tls_scan.hpp): one endpoint's probes, and
// the inventory they build. Its methods are split by concept:
//   tls_scan_suites.cpp   versions, cipher suites, certificate chains;
//   tls_scan_groups.cpp   TLS 1.3 groups and their preference, TLS 1.2 curves
//                         (alone, and together with the signature schemes);
//   tls_scan_schemes.cpp  signature schemes, TLS 1.2 and TLS 1.3;
//   tls_scan.cpp          the two strategies (run, run_thorough), finish, scan_tls.
// Internal to those files.
#pragma once

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "actors/scanner/net/tls_scan.hpp"
#include "actors/scanner/tls/client_hello.hpp"
#include "actors/scanner/tls/offers.hpp"
#include "actors/scanner/tls/registry.hpp"

namespace qs::scanner::net::detail {

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

} // namespace qs::scanner::net::detail
