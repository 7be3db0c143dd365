// `qscan scan ssh://...` against Debian's sshd: the KEXINIT verbatim, every
// host key with the fingerprint ssh-keygen prints, post-quantum key exchange
// found or missed.
#include <catch2/catch.hpp>

#include "tests/scan/lab.hpp"
#include "tests/support/process.hpp"

using namespace qs::test;
namespace json = boost::json;

namespace {

json::object scan_one(const std::string& name) {
  auto run = qscan_scan({"--format", "json", lab_targets().at(name)});
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  auto r = result_for(run.results(), lab_targets().at(name));
  INFO(json::serialize(r.at("error")));
  REQUIRE(r.at("error").is_null());
  return r;
}

// "SHA256:..." as ssh-keygen -lf prints it for a lab host key.
std::string keygen_fingerprint(const std::string& key) {
  auto child = child_process::start({"ssh-keygen", "-lf", lab_file(key + ".pub")});
  auto line = child.wait_for_line("", std::chrono::seconds(30));
  auto start = line.find("SHA256:");
  return line.substr(start, line.find(' ', start) - start);
}

} // namespace

TEST_CASE("Debian's sshd: the KEXINIT as sent, every host key with its fingerprint, and the "
          "post-quantum hybrid rated the fix",
          "[scan][ssh]") {
  if (!lab_targets().count("sshd-default")) {
    WARN("sshd is not installed (tools/setup installs it): the SSH check did not run");
    return;
  }
  auto r = scan_one("sshd-default");
  const auto& ssh = r.at("ssh").as_object();
  CHECK(std::string(ssh.at("banner").as_string()).rfind("SSH-2.0-OpenSSH_", 0) == 0);
  const auto kex = strings(ssh.at("kex"));
  REQUIRE(!kex.empty());
  CHECK(kex.front() == "sntrup761x25519-sha512"); // verbatim, in the server's order
  CHECK(std::find(kex.begin(), kex.end(), "curve25519-sha256") != kex.end());
  std::map<std::string, std::pair<int, std::string>> keys;
  for (const auto& k : ssh.at("host_keys").as_array())
    keys[std::string(k.at("type").as_string())] = {static_cast<int>(k.at("bits").as_int64()),
                                                   std::string(k.at("sha256").as_string())};
  REQUIRE(keys.size() == 3);
  CHECK(keys["ssh-ed25519"] == std::pair{256, keygen_fingerprint("ssh_ed25519")});
  CHECK(keys["ecdsa-sha2-nistp256"] == std::pair{256, keygen_fingerprint("ssh_ecdsa")});
  CHECK(keys["ssh-rsa"] == std::pair{3072, keygen_fingerprint("ssh_rsa")});
  CHECK(!strings(ssh.at("ciphers")).empty());
  CHECK(!strings(ssh.at("macs")).empty());
  bool hybrid = false;
  for (const auto& f : flat_findings(r))
    if (f.at("algorithm") == "sntrup761x25519-sha512") {
      hybrid = true;
      CHECK(f.at("quantum_status") == "hybrid");
      CHECK(f.at("severity") == "info");
    }
  CHECK(hybrid);
  CHECK(!has_finding(r, "QS-KEX-NO-POST-QUANTUM"));
  CHECK(has_finding(r, "QS-AUTH-QUANTUM-VULNERABLE"));
}

TEST_CASE("an sshd with only classical key exchange gets the no-post-quantum finding and "
          "shows only the host keys it offers",
          "[scan][ssh]") {
  if (!lab_targets().count("sshd-classical")) {
    WARN("sshd is not installed: the SSH check did not run");
    return;
  }
  auto r = scan_one("sshd-classical");
  const auto& ssh = r.at("ssh").as_object();
  const auto kex = strings(ssh.at("kex"));
  CHECK(std::find(kex.begin(), kex.end(), "curve25519-sha256") != kex.end());
  CHECK(std::find(kex.begin(), kex.end(), "sntrup761x25519-sha512") == kex.end());
  std::vector<std::string> types;
  for (const auto& k : ssh.at("host_keys").as_array())
    types.emplace_back(k.at("type").as_string());
  std::sort(types.begin(), types.end());
  CHECK(types == std::vector<std::string>{"ssh-ed25519", "ssh-rsa"});
  CHECK(has_finding(r, "QS-KEX-NO-POST-QUANTUM"));
  CHECK(has_finding(r, "QS-SSH-SHA1-SIGNATURE")); // ssh-rsa host-key signatures
}
