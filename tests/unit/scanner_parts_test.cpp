// The scanner's pure parts: targets, SSH transport messages, findings.
#include <catch2/catch.hpp>

#include "actors/scanner/baseline.hpp"
#include "actors/scanner/finding_groups.hpp"
#include "actors/scanner/findings.hpp"
#include "actors/scanner/fingerprint.hpp"
#include "actors/scanner/ssh/messages.hpp"
#include "actors/scanner/target.hpp"

using namespace qs::scanner;

TEST_CASE("targets are read as users write them, and bad ones are named", "[scanner][target]") {
  auto parsed = [](const char* text) {
    auto t = parse_target(text);
    return std::holds_alternative<target>(t) ? std::get<target>(t).text
                                             : "ERROR " + std::get<std::string>(t);
  };
  CHECK(parsed("tls://127.0.0.1:8443") == "tls://127.0.0.1:8443");
  CHECK(parsed("example.org:443") == "tls://example.org:443");
  CHECK(parsed("example.org") == "tls://example.org:443");
  CHECK(parsed("ssh://10.0.0.1") == "ssh://10.0.0.1:22");
  CHECK(parsed("tls://[::1]:8443") == "tls://[::1]:8443");
  CHECK(parsed("  tls://h:1/ ") == "tls://h:1");
  CHECK(parsed("file:///etc/ssl") == "file:///etc/ssl");
  CHECK(std::get<target>(parse_target("tls://[::1]:8443")).host == "::1");
  for (const char* bad :
       {"ftp://x", "tls://h:0", "tls://h:65536", "tls://h:x", "::1:443", "tls://[::1",
        "tls://[::1]x", "file://relative", "tls://bad host:1", "tls://",
        // Found by scan_jobs_fuzz: "[]" was accepted as an empty host and wrote back as
        // "tls://:443", which does not read back.
        "tls://[]", "[]:443", "tls://[1.2.3.4]", "tls://[abc]"}) {
    INFO(bad);
    CHECK(parsed(bad).rfind("ERROR ", 0) == 0);
  }
  auto list = parse_target_list("# c\n\ntls://a:1 # x\nnot a target\n", "t.txt");
  REQUIRE(std::holds_alternative<std::string>(list));
  CHECK(std::get<std::string>(list).rfind("t.txt:4: ", 0) == 0);
}

TEST_CASE("SSH: a banner after other lines, packets in pieces, a KEXINIT written and read back",
          "[scanner][ssh]") {
  auto partial = ssh::split_banner("hello\r\nSSH-2.0-Open");
  CHECK(!partial);
  auto whole = ssh::split_banner(std::string("hello\r\nSSH-2.0-OpenSSH_9.2\r\n\x00\x00", 30));
  REQUIRE(whole);
  REQUIRE(std::holds_alternative<ssh::banner_split>(*whole));
  CHECK(std::get<ssh::banner_split>(*whole).banner == "SSH-2.0-OpenSSH_9.2");
  CHECK(std::get<ssh::banner_split>(*whole).rest.size() == 2);
  auto old = ssh::split_banner("SSH-1.5-old\r\n");
  REQUIRE(old);
  CHECK(std::get<std::string>(*old).rfind("not SSH 2", 0) == 0);

  ssh::kexinit server;
  server.kex = {"curve25519-sha256", "mlkem768x25519-sha256"};
  server.host_key_algorithms = {"ssh-ed25519"};
  server.ciphers_client_to_server = server.ciphers_server_to_client = {"aes256-gcm@openssh.com"};
  server.macs_client_to_server = server.macs_server_to_client = {"hmac-sha2-256"};
  server.compression_client_to_server = server.compression_server_to_client = {"none"};
  const auto payload = ssh::kexinit_payload("curve25519-sha256", "ssh-ed25519", server);
  const auto bytes = ssh::packet(payload);
  CHECK(bytes.size() % 8 == 0);
  ssh::packet_reader reader;
  for (char c : bytes)
    reader.feed(std::string_view(&c, 1));
  auto got = reader.next();
  REQUIRE(got);
  auto k = ssh::parse_kexinit(*got);
  REQUIRE(std::holds_alternative<ssh::kexinit>(k));
  CHECK(std::get<ssh::kexinit>(k).kex == std::vector<std::string>{"curve25519-sha256"});
  CHECK(std::get<ssh::kexinit>(k).ciphers_server_to_client == server.ciphers_server_to_client);
  CHECK(!reader.next());
  // Name-lists echoed back keep every name, also empty ones at the start (",a",
  // ",,a", ",") as a server sent them (found by fuzzing).
  for (const std::vector<std::string>& macs : std::vector<std::vector<std::string>>{
           {"", "hmac-sha2-256"}, {"", "", "umac-64@openssh.com"}, {"", ""}, {"a", "", "b"}}) {
    server.macs_server_to_client = macs;
    auto echoed =
        ssh::parse_kexinit(ssh::kexinit_payload("curve25519-sha256", "ssh-ed25519", server));
    REQUIRE(std::holds_alternative<ssh::kexinit>(echoed));
    CHECK(std::get<ssh::kexinit>(echoed).macs_server_to_client == macs);
  }
  ssh::packet_reader bad;
  bad.feed(std::string("\xff\xff\xff\xff\x04", 5));
  CHECK(bad.next());
  CHECK(!bad.error().empty());
  CHECK(std::holds_alternative<std::string>(ssh::parse_kexinit("\x14short")));
  CHECK(std::holds_alternative<std::string>(
      ssh::parse_kex_reply(std::string("\x1f\x00\x00\x01", 4))));
}

TEST_CASE("findings: key exchange apart from authentication, hybrids as the fix, classical faults",
          "[scanner][findings]") {
  tls_inventory t;
  t.protocols = {"TLSv1.0", "TLSv1.3"};
  t.groups = {"X25519MLKEM768", "x25519", "dhe-1024"};
  t.cipher_suites["TLSv1.0"] = {"TLS_RSA_WITH_3DES_EDE_CBC_SHA",
                                "TLS_DH_anon_WITH_AES_128_CBC_SHA"};
  t.cipher_suites["TLSv1.3"] = {"TLS_AES_128_GCM_SHA256"};
  served_certificate leaf;
  leaf.info.subject = "CN=a";
  leaf.info.key = {"RSA", 1024, ""};
  leaf.info.signature_algorithm = "sha1WithRSAEncryption";
  leaf.info.not_after = "2020-01-01T00:00:00Z";
  leaf.info.self_signed = true;
  leaf.info.dns_names = {"*.example.org"};
  t.certificates = {leaf};
  const auto findings = tls_findings(t, "www.example.org", 1790000000);
  auto has = [&](const std::string& rule, const std::string& algorithm,
                 const std::string& severity) {
    for (const auto& f : findings)
      if (f.rule == rule && (algorithm.empty() || f.algorithm == algorithm))
        return f.severity == severity;
    return false;
  };
  CHECK(has("QS-KEX-POST-QUANTUM", "X25519MLKEM768", "info"));
  CHECK(has("QS-KEX-QUANTUM-VULNERABLE", "x25519", "high"));
  CHECK(has("QS-KEX-WEAK", "dhe-1024", "critical"));
  CHECK(has("QS-TLS-OLD-PROTOCOL", "TLSv1.0", "high"));
  CHECK(has("QS-TLS-NO-FORWARD-SECRECY", "", "high"));
  CHECK(has("QS-TLS-ANONYMOUS", "", "critical"));
  CHECK(has("QS-CIPHER-BROKEN", "3DES", "high"));
  CHECK(has("QS-CIPHER-GROVER", "AES-128-GCM", "low"));
  CHECK(has("QS-AUTH-WEAK-KEY", "RSA-1024", "critical"));
  CHECK(has("QS-CERT-EXPIRED", "", "high"));
  CHECK(!has("QS-CERT-NAME-MISMATCH", "", "medium")); // *.example.org names www.example.org
  for (const auto& f : findings) {
    if (f.context == "key exchange" && f.algorithm == "x25519") {
      CHECK(f.replacement == "ML-KEM-768");
      CHECK(!f.deadline.empty());
    }
    if (f.context == "authentication" && f.algorithm == "RSA-1024")
      CHECK(f.replacement == "ML-DSA-65"); // a key that signs is replaced by a signature
  }
  for (const auto& [bits, replacement] :
       std::vector<std::pair<int, std::string>>{{2048, "ML-DSA-65"}, {15360, "ML-DSA-87"}}) {
    tls_inventory rsa;
    rsa.protocols = {"TLSv1.3"};
    rsa.certificates = {leaf};
    rsa.certificates[0].info.key = {"RSA", bits, ""};
    int seen = 0;
    for (const auto& f : tls_findings(rsa, "www.example.org", 1790000000))
      if (f.context == "authentication" && f.algorithm == "RSA-" + std::to_string(bits)) {
        CHECK(f.replacement == replacement);
        ++seen;
      }
    CHECK(seen == 1);
  }
  const auto other_host = tls_findings(t, "example.org", 1790000000);
  CHECK(std::any_of(other_host.begin(), other_host.end(),
                    [](const finding& f) { return f.rule == "QS-CERT-NAME-MISMATCH"; }));
  // The target's risk comes from the same rating as Scorpius's scan results.
  target_result r;
  r.target = "tls://www.example.org:443";
  r.host = "www.example.org";
  r.tls = t;
  rate(r, 1790000000);
  CHECK(r.quantum_risk_score > 0.8);
  CHECK(r.risk_level == "CRITICAL");
  const auto as_result = as_scan_result(r);
  CHECK(as_result.asset_id == r.target);
  CHECK(!as_result.vulnerabilities.empty());
}

TEST_CASE("a finding's fingerprint names its rule and place, not its wording, and is the same "
          "everywhere",
          "[scanner][fingerprint]") {
  target_result target;
  target.kind = target_kind::tls;
  target.target = "tls://www.example.org:443";
  finding f;
  f.rule = "QS-KEX-QUANTUM-VULNERABLE";
  f.algorithm = "x25519";
  f.context = "key exchange";
  f.severity = "high";
  f.message = "x25519 is broken by Shor's algorithm";
  f.location = target.target;
  const auto fp = fingerprint(target, f);
  // Fixed: a fingerprint that changed between builds would make every finding new.
  // (sha256 of "qscan-finding-2|25:QS-KEX-QUANTUM-VULNERABLE|25:tls://www.example.org:443|25:
  // tls://www.example.org:443", without the line break)
  CHECK(fp == "227880b03276d1387f54e07488be84385a13699f6c063bdeec934a8f3bf5a3ff");
  finding reworded = f;
  reworded.message = "another sentence";
  reworded.severity = "medium";
  CHECK(fingerprint(target, reworded) == fp);
  finding same_group = f; // another instance of the group: the same finding
  same_group.algorithm = "secp256r1";
  CHECK(fingerprint(target, same_group) == fp);
  finding other_rule = f;
  other_rule.rule = "QS-KEX-WEAK";
  CHECK(fingerprint(target, other_rule) != fp);
  target_result other_target = target;
  other_target.target = "tls://www.example.org:8443";
  CHECK(fingerprint(other_target, f) != fp);
  // In a file: the file, wherever the folder scanned; another file is another finding.
  target_result file;
  file.kind = target_kind::file;
  file.target = "file:///etc/ssh/";
  finding key;
  key.rule = "QS-AUTH-QUANTUM-VULNERABLE";
  key.location = "/etc/ssh/authorized_keys";
  key.line = 2;
  target_result folder = file;
  folder.target = "file:///etc/";
  CHECK(fingerprint(file, key) == fingerprint(folder, key));
  finding other_file = key;
  other_file.location = "/etc/ssh/known_hosts";
  CHECK(fingerprint(file, key) != fingerprint(file, other_file));
}

TEST_CASE("findings are grouped by rule and location, each instance kept inside",
          "[scanner][groups]") {
  finding shor;
  shor.rule = "QS-KEX-QUANTUM-VULNERABLE";
  shor.context = "key exchange";
  shor.severity = "high";
  shor.location = "tls://a:443";
  shor.replacement = "X25519MLKEM768";
  std::vector<finding> found;
  for (const char* group : {"x25519", "secp256r1", "ffdhe2048"}) {
    found.push_back(shor);
    found.back().algorithm = group;
    found.back().message = std::string(group) + " is broken by Shor's algorithm";
  }
  found[2].severity = "critical";
  finding cert = shor;
  cert.rule = "QS-CERT-SELF-SIGNED";
  cert.algorithm = "";
  cert.message = "self-signed";
  found.insert(found.begin() + 1, cert);
  const auto groups = group_findings(found);
  REQUIRE(groups.size() == 2);
  const auto& g = groups[0].summary;
  CHECK(groups[0].instances.size() == 3);
  CHECK(g.rule == "QS-KEX-QUANTUM-VULNERABLE");
  CHECK(g.severity == "critical"); // the worst instance's
  CHECK(g.algorithm.empty());      // they differ
  CHECK(g.context == "key exchange");
  CHECK(g.message == "A key exchange that Shor's algorithm breaks (3): x25519, secp256r1, "
                     "ffdhe2048; replace with X25519MLKEM768");
  CHECK(groups[1].instances.size() == 1);
  CHECK(groups[1].summary.message == "self-signed"); // a group of one is the finding
}

TEST_CASE("compared with a baseline, a finding is new, unchanged or updated, and a gone one absent",
          "[scanner][baseline]") {
  target_result r;
  r.kind = target_kind::tls;
  r.target = "tls://www.example.org:443";
  finding kept, changed, fresh, gone;
  kept.rule = "QS-KEX-QUANTUM-VULNERABLE";
  kept.algorithm = "x25519";
  kept.context = "key exchange";
  kept.severity = "high";
  kept.message = "x25519 is broken by Shor's algorithm";
  kept.location = r.target;
  changed = kept;
  changed.rule = "QS-TLS-NO-FORWARD-SECRECY";
  changed.algorithm = "TLS_RSA_WITH_AES_128_CBC_SHA";
  fresh = kept;
  fresh.rule = "QS-CERT-SELF-SIGNED";
  gone = kept;
  gone.rule = "QS-TLS-OLD-PROTOCOL";

  target_result before = r;
  before.findings = {kept, changed, gone};
  baseline base;
  for (const auto& f : before.findings)
    base[fingerprint(before, f)] = {
        fingerprint(before, f), f.rule, f.severity, f.message, r.target, 0};
  changed.severity = "critical"; // the same finding, rated otherwise now
  r.findings = {kept, changed, fresh};
  const auto c = compare({r}, base);
  REQUIRE(c.states.size() == 1);
  CHECK(c.states[0] == std::vector<baseline_state>{baseline_state::unchanged,
                                                   baseline_state::updated, baseline_state::new_});
  REQUIRE(c.absent.size() == 1);
  CHECK(c.absent[0].fingerprint == fingerprint(before, gone));
  CHECK(std::string(to_string(baseline_state::absent)) == "absent");
  // A group that gains an instance is the same finding, updated.
  finding more = kept;
  more.algorithm = "secp256r1";
  r.findings = {kept, more};
  CHECK(compare({r}, base).states[0] == std::vector<baseline_state>{baseline_state::updated});
}

TEST_CASE("two keys of one file with the same algorithm are two findings, by line",
          "[scanner][files]") {
  file_inventory file;
  file.path = "/home/alice/.ssh/authorized_keys";
  for (int line : {1, 4}) {
    file_item item;
    item.kind = "authorized-key";
    item.line = line;
    item.key = {"RSA", 3072, ""};
    file.items.push_back(item);
  }
  std::vector<int> lines;
  for (const auto& f : file_findings(file, 1790000000))
    if (f.rule == "QS-AUTH-QUANTUM-VULNERABLE")
      lines.push_back(f.line);
  CHECK(lines == std::vector<int>{1, 4});
}
