// `qscan scan` as a user runs it: exit codes, target files, output files, no
// progress line when stderr is piped, the CycloneDX and SARIF outputs valid
// against their official schemas, and key files of every kind.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "actors/scanner/report_json.hpp"
#include "actors/scanner/report_read.hpp"
#include "tests/scan/lab.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

using namespace qs::test;
namespace json = boost::json;

namespace {

void run_tool(const std::vector<std::string>& argv) {
  auto child = child_process::start(argv);
  INFO(child.stderr_tail());
  REQUIRE(child.wait(std::chrono::seconds(60)) == 0);
}

std::vector<const json::object*> items_of(const json::array& results, const std::string& file) {
  std::vector<const json::object*> out;
  for (const auto& r : results)
    if (r.at("target").as_string() == "file://" + file)
      for (const auto& item : r.at("file").at("items").as_array())
        out.push_back(&item.as_object());
  return out;
}

} // namespace

TEST_CASE("exit status: 0 when done, 1 when a finding reaches --fail-on, 2 on a usage error",
          "[scan][cli]") {
  const auto rsa = lab_targets().at("rsa2048");
  CHECK(qscan_scan({rsa}).exit_code == 0);
  CHECK(qscan_scan({"--fail-on", "HIGH", rsa}).exit_code == 1);
  CHECK(qscan_scan({"--fail-on", "critical", lab_targets().at("nginx")}).exit_code == 0);
  CHECK(qscan_scan({"--fail-on", "critical", lab_targets().at("rsa1024")}).exit_code == 1);
  // An unreachable target is a result, not a failure of the run.
  CHECK(qscan_scan({"--fail-on", "LOW", "tls://127.0.0.1:1"}).exit_code == 0);
  for (const std::vector<std::string>& bad : {std::vector<std::string>{},
                                              {"ftp://x"},
                                              {"--format", "xml", rsa},
                                              {"--timeout", "0", rsa},
                                              {"--fail-on", "SEVERE", rsa},
                                              {"--concurrency", "many", rsa},
                                              {"[::1:443"},
                                              {"tls://host:99999"},
                                              {"--targets", "/nonexistent"},
                                              {"--frobnicate", rsa}}) {
    auto run = qscan_scan(bad);
    INFO(run.err);
    CHECK(run.exit_code == 2);
    CHECK(run.err.find("qscan scan: ") == 0);
  }
}

TEST_CASE("targets from a file with comments, output to a file, no progress line when stderr "
          "is not a terminal",
          "[scan][cli]") {
  temp_dir dir;
  {
    std::ofstream(dir.file("targets")) << "# the lab\n\n"
                                       << lab_targets().at("tls12") << "   # TLS 1.2 only\n"
                                       << lab_targets().at("tls13") << "\n";
  }
  auto child = child_process::start({QSCAN_BINARY, "scan", "--targets", dir.file("targets"),
                                     "--format", "json", "--output", dir.file("out.json")});
  REQUIRE(child.wait(std::chrono::seconds(60)) == 0);
  CHECK(child.stderr_tail().empty());
  std::ifstream in(dir.file("out.json"));
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto results = json::parse(text).as_array();
  REQUIRE(results.size() == 2);
  CHECK(results[0].at("target").as_string() == lab_targets().at("tls12"));
  CHECK(results[1].at("target").as_string() == lab_targets().at("tls13"));
  // The table is for people: a block per target with its risk.
  auto table = qscan_scan({lab_targets().at("tls12")});
  CHECK(table.out.find(lab_targets().at("tls12")) == 0);
  CHECK(table.out.find("quantum risk") != std::string::npos);
  CHECK(table.out.find("findings") != std::string::npos);
}

TEST_CASE("the CycloneDX 1.6 CBOM and the SARIF 2.1.0 output validate against the official "
          "schemas",
          "[scan][cli][formats]") {
  temp_dir dir;
  std::vector<std::string> targets = {lab_targets().at("rsa-and-ecdsa"), lab_targets().at("chain"),
                                      "file://" + lab_file("p384.pem"),
                                      "file://" + lab_file("rsa2048.key"), "tls://127.0.0.1:1"};
  if (lab_targets().count("sshd-default"))
    targets.push_back(lab_targets().at("sshd-default"));
  auto args = targets;
  args.insert(args.begin(), {"--format", "cbom"});
  auto cbom = qscan_scan(args);
  REQUIRE(cbom.exit_code == 0);
  { std::ofstream(dir.file("cbom.json")) << cbom.out; }
  CHECK(validate(QS_SHARED_DATA "/cyclonedx/bom-1.6.schema.json", dir.file("cbom.json")) == 0);
  const auto bom = json::parse(cbom.out).as_object();
  CHECK(bom.at("specVersion") == "1.6");
  std::map<std::string, int> kinds;
  for (const auto& c : bom.at("components").as_array())
    ++kinds[std::string(c.at("cryptoProperties").at("assetType").as_string())];
  CHECK(kinds["algorithm"] > 5);
  CHECK(kinds["certificate"] >= 4);
  CHECK(kinds["protocol"] >= 4);
  CHECK(kinds["related-crypto-material"] >= 3);
  CHECK(cbom.out.find("BEGIN PRIVATE KEY") == std::string::npos);
  args[1] = "sarif";
  auto sarif = qscan_scan(args);
  REQUIRE(sarif.exit_code == 0);
  { std::ofstream(dir.file("sarif.json")) << sarif.out; }
  CHECK(validate(QS_SHARED_DATA "/sarif/sarif-schema-2.1.0.json", dir.file("sarif.json")) == 0);
  const auto log = json::parse(sarif.out).as_object();
  const auto& run = log.at("runs").at(0);
  CHECK(run.at("tool").at("driver").at("rules").as_array().size() > 3);
  std::set<std::string> fingerprints;
  for (const auto& r : run.at("results").as_array()) {
    const auto rule = r.at("ruleIndex").as_int64();
    CHECK(run.at("tool").at("driver").at("rules").at(static_cast<std::size_t>(rule)).at("id") ==
          r.at("ruleId"));
    const auto& fp = r.at("partialFingerprints").at("qscanFinding/v2").as_string();
    CHECK(fp.size() == 64);
    CHECK(fingerprints.insert(std::string(fp)).second); // one finding, one fingerprint
  }
  // Another run of the same targets: the same findings, the same fingerprints.
  auto again = qscan_scan(args);
  REQUIRE(again.exit_code == 0);
  std::set<std::string> again_fingerprints;
  const auto again_log = json::parse(again.out);
  for (const auto& r : again_log.at("runs").at(0).at("results").as_array())
    again_fingerprints.insert(
        std::string(r.at("partialFingerprints").at("qscanFinding/v2").as_string()));
  CHECK(again_fingerprints == fingerprints);
  // Every validator run above would report a broken document: check it does.
  {
    std::ofstream(dir.file("broken.json"))
        << R"({"bomFormat":"SPDX","specVersion":"1.6","components":[{"type":"banana"}]})";
  }
  CHECK(validate(QS_SHARED_DATA "/cyclonedx/bom-1.6.schema.json", dir.file("broken.json")) != 0);
}

TEST_CASE("key files: PEM and DER certificates, PKCS#8 keys plain and encrypted, PKCS#12 "
          "(legacy too), OpenSSH keys, authorized_keys and known_hosts",
          "[scan][files]") {
  temp_dir dir;
  const auto f = [&](const char* name) { return dir.file(name); };
  run_tool({"openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", f("rsa.key"),
            "-out", f("rsa.pem"), "-days", "5", "-subj", "/CN=files"});
  run_tool({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-384",
            "-nodes", "-keyout", f("ec.key"), "-out", f("ec.pem"), "-days", "5", "-subj",
            "/CN=files-ec"});
  run_tool({"openssl", "x509", "-in", f("rsa.pem"), "-outform", "DER", "-out", f("rsa.der")});
  run_tool({"openssl", "pkey", "-in", f("ec.key"), "-pubout", "-out", f("ec.pub")});
  run_tool({"openssl", "pkcs8", "-topk8", "-in", f("rsa.key"), "-v2", "aes-256-cbc", "-passout",
            "pass:secret", "-out", f("encrypted.key")});
  run_tool({"openssl", "pkcs12", "-export", "-in", f("ec.pem"), "-inkey", f("ec.key"), "-passout",
            "pass:", "-out", f("bundle.p12")});
  run_tool({"openssl", "pkcs12", "-export", "-legacy", "-in", f("rsa.pem"), "-inkey", f("rsa.key"),
            "-passout", "pass:", "-out", f("legacy.p12")});
  run_tool(
      {"ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "alice@lab", "-f", f("id_ed25519")});
  run_tool({"ssh-keygen", "-q", "-t", "rsa", "-b", "3072", "-N", "hunter2", "-f", f("id_rsa")});
  {
    std::ifstream pub(f("id_ed25519.pub")), rsa_pub(f("id_rsa.pub"));
    std::string ed, rsa;
    std::getline(pub, ed);
    std::getline(rsa_pub, rsa);
    std::ofstream(f("authorized_keys")) << "# keys\n"
                                        << ed << "\ncommand=\"/bin/true\",no-pty " << rsa << "\n";
    std::ofstream(f("known_hosts"))
        << "lab.example,10.0.0.1 " << ed.substr(0, ed.rfind(' ')) << "\n";
    std::ifstream a(f("rsa.pem")), b(f("ec.pem"));
    std::ofstream bundle(f("bundle.pem"));
    bundle << "some text first\n" << a.rdbuf() << b.rdbuf();
    std::ofstream(f("README.txt")) << "not a key\n";
  }
  auto run = qscan_scan({"--format", "json", "file://" + dir.path()});
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  const auto results = run.results();
  for (const auto& r : results)
    CHECK(r.at("target").as_string() != "file://" + f("README.txt"));
  auto one = [&](const char* name) {
    auto items = items_of(results, f(name));
    INFO(name);
    REQUIRE(items.size() == 1);
    return *items.front();
  };
  CHECK(one("rsa.pem").at("kind") == "certificate");
  CHECK(one("rsa.pem").at("key_bits") == 2048);
  CHECK(one("rsa.der").at("certificate").at("subject") == "CN=files");
  CHECK(one("rsa.key").at("kind") == "private-key");
  CHECK(one("rsa.key").at("key_type") == "RSA");
  CHECK(one("ec.pub").at("kind") == "public-key");
  CHECK(one("ec.pub").at("curve") == "P-384");
  CHECK(one("encrypted.key").at("encrypted") == true);
  CHECK(one("id_ed25519").at("kind") == "openssh-private-key");
  CHECK(one("id_ed25519").at("key_type") == "Ed25519");
  CHECK(one("id_ed25519").at("encrypted") == false);
  CHECK(one("id_rsa").at("encrypted") == true);
  CHECK(one("id_rsa").at("key_bits") == 3072); // the public half is readable without the passphrase
  CHECK(one("id_ed25519.pub").at("comment") == "alice@lab");
  CHECK(one("known_hosts").at("kind") == "known-host");
  CHECK(one("known_hosts").at("comment") == "lab.example,10.0.0.1");
  auto auth = items_of(results, f("authorized_keys"));
  REQUIRE(auth.size() == 2);
  CHECK(auth[0]->at("line") == 2);
  CHECK(auth[1]->at("kind") == "authorized-key");
  CHECK(auth[1]->at("key_bits") == 3072);
  auto bundle = items_of(results, f("bundle.pem"));
  REQUIRE(bundle.size() == 2);
  CHECK(bundle[0]->at("line") == 2);
  CHECK(bundle[1]->at("line").as_int64() > 10);
  CHECK(bundle[1]->at("curve") == "P-384");
  for (const char* p12 : {"bundle.p12", "legacy.p12"}) {
    INFO(p12);
    auto items = items_of(results, f(p12));
    REQUIRE(items.size() == 2); // the key and the certificate
    CHECK(items[0]->at("kind") == "pkcs12-private-key");
    CHECK(items[1]->at("kind") == "pkcs12-certificate");
  }
  CHECK(run.out.find("PRIVATE KEY-----") == std::string::npos);

  // Findings speak of the file, and a private key stored without a passphrase is
  // a finding of its own (a PKCS#12 bundle with an empty password counts).
  auto findings_of = [&](const char* name) {
    std::map<std::string, std::string> out; // rule -> message
    for (const auto& r : results)
      if (r.at("target").as_string() == "file://" + f(name))
        for (const auto& finding : flat_findings(r.as_object()))
          out[std::string(finding.at("rule").as_string())] =
              std::string(finding.at("message").as_string());
    return out;
  };
  for (const char* key : {"rsa.key", "ec.key", "id_ed25519", "bundle.p12", "legacy.p12"}) {
    INFO(key);
    const auto found = findings_of(key);
    REQUIRE(found.count("QS-FILE-UNENCRYPTED-KEY"));
    CHECK_THAT(found.at("QS-FILE-UNENCRYPTED-KEY"), Catch::Contains("in this file"));
  }
  for (const char* key : {"encrypted.key", "id_rsa", "rsa.pem", "ec.pub", "authorized_keys"}) {
    INFO(key);
    CHECK(!findings_of(key).count("QS-FILE-UNENCRYPTED-KEY"));
  }
  CHECK(findings_of("rsa.key").at("QS-AUTH-QUANTUM-VULNERABLE") ==
        "the private key in this file is RSA-2048, which Shor's algorithm breaks: a quantum "
        "attacker could forge its signatures (not a threat to past traffic)");
  const auto certificate = findings_of("rsa.pem");
  CHECK_THAT(certificate.at("QS-CERT-SELF-SIGNED"),
             Catch::StartsWith("the certificate in this file (CN=files) is self-signed"));
  for (const char* name : {"rsa.pem", "rsa.key", "bundle.pem", "bundle.p12"})
    for (const auto& [rule, message] : findings_of(name)) {
      INFO(name << " " << rule << ": " << message);
      CHECK(message.find("server") == std::string::npos);
      CHECK(message.find("of chain") == std::string::npos);
      CHECK(message.find("private-key") == std::string::npos);
    }
}

TEST_CASE("the json format reads back as it was written (scanner nodes and stored jobs use it)",
          "[scan][cli][formats]") {
  std::vector<std::string> args = {"--format", "json", "file://" + lab_file("")};
  for (const auto& [name, url] : lab_targets())
    args.push_back(url);
  args.push_back("tls://127.0.0.1:1");
  auto run = qscan_scan(args);
  REQUIRE(run.exit_code == 0);
  auto read = qs::scanner::read_results(run.out);
  REQUIRE(std::holds_alternative<std::vector<qs::scanner::target_result>>(read));
  const auto& results = std::get<std::vector<qs::scanner::target_result>>(read);
  CHECK(results.size() > lab_targets().size());
  CHECK(json::parse(qs::scanner::results_json(results)) == json::parse(run.out));
  // A member of the wrong type is named by its path.
  auto broken = json::parse(run.out).as_array();
  broken[0].as_object()["findings"] = json::array{json::object{{"severity", 3}}};
  auto error = qs::scanner::read_results(json::serialize(broken));
  REQUIRE(std::holds_alternative<std::string>(error));
  CHECK(std::get<std::string>(error) == "[0]: findings[0].severity: expected a string");
}

TEST_CASE("a run compared with a previous one: SARIF's baselineState, and --fail-on-new fails "
          "only on new findings",
          "[scan][cli][baseline]") {
  temp_dir dir;
  const auto keys = dir.file("keys");
  std::filesystem::create_directories(keys);
  const auto f = [&](const char* name) { return keys + "/" + name; };
  run_tool({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
            "-nodes", "-keyout", f("ec.key"), "-out", f("ec.pem"), "-days", "400", "-subj",
            "/CN=baseline"});
  run_tool({"openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out",
            f("old.key")});
  const std::string target = "file://" + keys;
  auto first = qscan_scan({"--format", "sarif", target});
  REQUIRE(first.exit_code == 0);
  { std::ofstream(dir.file("first.sarif")) << first.out; }
  auto first_json = qscan_scan({"--format", "json", target});
  REQUIRE(first_json.exit_code == 0);
  { std::ofstream(dir.file("first.json")) << first_json.out; }

  // Between the runs: one key goes, a weak one comes, the certificate stays.
  std::filesystem::remove(f("old.key"));
  run_tool({"openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024", "-out",
            f("weak.key")});
  for (const auto& baseline : {dir.file("first.sarif"), dir.file("first.json")}) {
    INFO(baseline);
    auto second = qscan_scan({"--format", "sarif", "--baseline", baseline, target});
    INFO(second.err);
    REQUIRE(second.exit_code == 0);
    CHECK_THAT(second.err, Catch::Contains("against the baseline:"));
    { std::ofstream(dir.file("second.sarif")) << second.out; }
    CHECK(validate(QS_SHARED_DATA "/sarif/sarif-schema-2.1.0.json", dir.file("second.sarif")) == 0);
    std::map<std::string, std::set<std::string>> states; // state -> "rule file"
    const auto log = json::parse(second.out);
    for (const auto& r : log.at("runs").at(0).at("results").as_array()) {
      const std::string uri(r.at("locations")
                                .at(0)
                                .at("physicalLocation")
                                .at("artifactLocation")
                                .at("uri")
                                .as_string());
      states[std::string(r.at("baselineState").as_string())].insert(
          std::string(r.at("ruleId").as_string()) + " " + uri.substr(uri.rfind('/') + 1));
    }
    CHECK(states["new"].count("QS-AUTH-WEAK-KEY weak.key"));
    CHECK(states["new"].count("QS-FILE-UNENCRYPTED-KEY weak.key"));
    CHECK(states["absent"].count("QS-AUTH-QUANTUM-VULNERABLE old.key"));
    CHECK(states["unchanged"].count("QS-AUTH-QUANTUM-VULNERABLE ec.pem"));
    for (const auto& [state, found] : states)
      for (const auto& what : found) {
        INFO(state << ": " << what);
        CHECK((what.find("weak.key") == std::string::npos || state == "new"));
        CHECK((what.find("old.key") == std::string::npos || state == "absent"));
        CHECK((what.find("ec.") == std::string::npos || state == "unchanged"));
      }
  }
  // A new critical finding fails a gate at CRITICAL; against the run itself, nothing is new.
  CHECK(qscan_scan({"--baseline", dir.file("first.sarif"), "--fail-on-new", "CRITICAL", target})
            .exit_code == 1);
  auto now = qscan_scan({"--format", "sarif", target});
  REQUIRE(now.exit_code == 0);
  { std::ofstream(dir.file("now.sarif")) << now.out; }
  CHECK(
      qscan_scan({"--baseline", dir.file("now.sarif"), "--fail-on-new", "LOW", target}).exit_code ==
      0);
  // Without a baseline, or with a file that is not a run's output: a usage error.
  CHECK(qscan_scan({"--fail-on-new", "HIGH", target}).exit_code == 2);
  { std::ofstream(dir.file("other.json")) << R"({"runs": [{"results": [{"ruleId": "x"}]}]})"; }
  auto other = qscan_scan({"--baseline", dir.file("other.json"), target});
  CHECK(other.exit_code == 2);
  CHECK_THAT(other.err, Catch::Contains("partialFingerprints"));
}
