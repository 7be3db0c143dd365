// The economical TLS probing (the default) against the thorough one of before
// (`--probing thorough`: each TLS 1.3 group with a key share, each signature
// scheme alone, TLS 1.3 answered with ServerHellos) on every TLS server of the
// lab: the same facts, field by field, for fewer of the servers' signatures.
#include <catch2/catch.hpp>

#include <algorithm>

#include "tests/scan/lab.hpp"

using namespace qs::test;
namespace json = boost::json;

namespace {

std::map<std::string, json::object> scan_all(const std::vector<std::string>& names,
                                             const std::string& probing) {
  std::vector<std::string> args = {"--format", "json", "--probing", probing};
  for (const auto& n : names)
    args.push_back(lab_targets().at(n));
  auto run = qscan_scan(args);
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  const auto results = run.results();
  std::map<std::string, json::object> out;
  for (const auto& n : names) {
    const auto& r = result_for(results, lab_targets().at(n));
    INFO(n << " (" << probing << "): " << json::serialize(r.at("error")));
    REQUIRE(r.at("error").is_null());
    out[n] = r;
  }
  return out;
}

std::int64_t signed_probes(const json::object& r) {
  return r.at("probes").at("server_signed").as_int64();
}

} // namespace

TEST_CASE("economical probing finds every fact the thorough probing finds on every lab server "
          "(versions, suites and their order, groups and the preference, schemes, chains), "
          "with fewer server signatures",
          "[scan][tls][probing]") {
  std::vector<std::string> names;
  for (const auto& [name, url] : lab_targets())
    if (url.rfind("tls://", 0) == 0)
      names.push_back(name);
  const auto thorough = scan_all(names, "thorough");
  const auto economical = scan_all(names, "economical");
  std::int64_t before = 0, after = 0;
  for (const auto& name : names) {
    INFO(name);
    const auto& t = thorough.at(name).at("tls").as_object();
    const auto& e = economical.at(name).at("tls").as_object();
    CHECK(t.size() == e.size());
    for (const auto& field : t) {
      INFO(field.key());
      if (field.key() == "signature_schemes") {
        // The same, or more: a server with two certificates (RSA and ECDSA) also
        // shows the ECDSA key's TLS 1.2 schemes, for which it refused the thorough
        // probes (one ECDSA scheme alone) with handshake_failure.
        const auto more = strings(e.at("signature_schemes"));
        for (const auto& s : strings(field.value()))
          CHECK(std::count(more.begin(), more.end(), s) == 1);
        if (name != "rsa-and-ecdsa")
          CHECK(json::serialize(field.value()) == json::serialize(e.at(field.key())));
      } else {
        CHECK(json::serialize(field.value()) == json::serialize(e.at(field.key())));
      }
    }
    // Groups learned from HelloRetryRequests are those learned with a share each,
    // and the preference is the same (said again for the reader; checked above).
    if (t.at("groups_by_version").as_object().contains("TLSv1.3")) {
      CHECK(json::serialize(t.at("groups_by_version").at("TLSv1.3")) ==
            json::serialize(e.at("groups_by_version").at("TLSv1.3")));
      CHECK(t.at("preferred_group") == e.at("preferred_group"));
    }
    CHECK(signed_probes(economical.at(name)) <= signed_probes(thorough.at(name)));
    before += signed_probes(thorough.at(name));
    after += signed_probes(economical.at(name));
  }
  CHECK(after * 2 < before);
  // The server with an RSA and an ECDSA certificate signs TLS 1.2 key exchanges
  // with either key (`openssl s_client -tls1_2 -sigalgs ECDSA+SHA256` shows it).
  const auto both = strings(economical.at("rsa-and-ecdsa").at("tls").at("signature_schemes"));
  CHECK(std::count(both.begin(), both.end(), "rsa_pss_rsae_sha256") == 1);
  CHECK(std::count(both.begin(), both.end(), "ecdsa_secp256r1_sha256") == 1);
}

TEST_CASE("qscan scan --probing takes economical or thorough, nothing else", "[scan][cli]") {
  auto run = qscan_scan({"--probing", "quick", lab_targets().at("tls13")});
  CHECK(run.exit_code == 2);
  CHECK(run.err.find("--probing") != std::string::npos);
}
