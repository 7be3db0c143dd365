// What changed between two real scans of one TLS server whose configuration changed
// in between (openssl s_server restarted on the same port without X25519 and with
// a new certificate): GET /v1/assets/{target}/changes names the group's finding
// fixed, the group removed, the certificate replaced (one removed, one added), and
// the findings that stayed unchanged.
#include <catch2/catch.hpp>

#include <csignal>
#include <set>

#include "tests/scan/scan_api.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/process.hpp"
#include "tests/support/qscan_server.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/wait.hpp"

using namespace qs::test;
namespace json = boost::json;

namespace {

void make_certificate(const temp_dir& dir, const std::string& name) {
  auto child =
      child_process::start({"openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                            dir.file(name + ".key"), "-out", dir.file(name + ".pem"), "-days", "90",
                            "-subj", "/CN=" + name});
  REQUIRE(child.wait(std::chrono::seconds(60)) == 0);
}

child_process serve_tls(const temp_dir& dir, const std::string& cert, int port,
                        const std::string& groups) {
  auto server =
      child_process::start({"openssl", "s_server", "-accept", "127.0.0.1:" + std::to_string(port),
                            "-cert", dir.file(cert + ".pem"), "-key", dir.file(cert + ".key"),
                            "-groups", groups, "-www", "-quiet"});
  REQUIRE(wait_until([&] { return port_open(port); }, std::chrono::seconds(20)));
  return server;
}

void scan(http_client& client, const std::string& target) {
  auto accepted = client.request("POST", "/v1/scans", targets_body({target}), json_type);
  INFO(accepted.body);
  REQUIRE(accepted.status == 202);
  auto job = wait_for_job(client, std::string(accepted.json().at("id").as_string()));
  REQUIRE(job.at("status") == "done");
}

std::set<std::string> algorithms(const json::value& findings) {
  std::set<std::string> out;
  for (const auto& f : findings.as_array())
    if (f.at("algorithm").is_string())
      out.insert(std::string(f.at("algorithm").as_string()));
  return out;
}

} // namespace

TEST_CASE("changes between two scans of a server that lost a group and got a new certificate",
          "[scan][api][changes]") {
  temp_dir dir;
  make_certificate(dir, "first");
  make_certificate(dir, "second");
  const int port = free_port();
  const std::string target = "tls://127.0.0.1:" + std::to_string(port);
  qscan_server server;
  http_client client(server.port());
  {
    auto tls = serve_tls(dir, "first", port, "X25519:P-256");
    scan(client, target);
    tls.signal(SIGTERM);
    tls.wait(std::chrono::seconds(10));
  }
  auto tls = serve_tls(dir, "second", port, "P-256");
  scan(client, target);

  auto answer = client.request("GET", "/v1/assets/" + percent_encoded(target) + "/changes");
  INFO(answer.body);
  REQUIRE(answer.status == 200);
  const auto c = answer.json();
  REQUIRE(c.at("from").is_object());
  CHECK(c.at("from").at("id").as_int64() < c.at("to").at("id").as_int64());
  const auto fixed = algorithms(c.at("findings").at("fixed"));
  CHECK(fixed.count("x25519"));
  CHECK(!fixed.count("secp256r1"));
  CHECK(algorithms(c.at("findings").at("unchanged")).count("secp256r1"));
  CHECK(c.at("findings").at("new").as_array().empty());
  for (const auto& f : c.at("findings").at("fixed").as_array())
    if (f.at("algorithm") == "x25519") {
      CHECK(f.at("quantum_status") == "broken_by_shor");
      CHECK(f.at("exploit_probability").is_double());
    }
  std::set<std::string> removed;
  for (const auto& a : c.at("algorithms").at("removed").as_array())
    removed.insert(std::string(a.as_string()));
  CHECK(removed.count("x25519"));
  const auto& certificates = c.at("certificates");
  REQUIRE(certificates.at("removed").as_array().size() == 1);
  REQUIRE(certificates.at("added").as_array().size() == 1);
  CHECK(certificates.at("removed").at(0).at("subject") == "CN=first");
  CHECK(certificates.at("added").at(0).at("subject") == "CN=second");
  CHECK(certificates.at("removed").at(0).at("sha256") !=
        certificates.at("added").at(0).at("sha256"));
}
