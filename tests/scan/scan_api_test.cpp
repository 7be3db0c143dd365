// POST /v1/scans and GET /v1/scans/{id} on `qscan serve` against the lab's real
// servers: a job's progress and paginated results with their analysis, the
// asset history they feed, the CBOM and SARIF of a job (valid against the
// official schemas), what is refused and why (paths, --scan-allow, the files
// root, the per-endpoint rate), admin keys, a job that survives the process
// being killed, and a post-quantum key exchange gone between two scans of one
// sshd seen as drift.
#include <catch2/catch.hpp>

#include <csignal>
#include <fstream>
#include <set>
#include <sstream>

#include <sys/socket.h>
#include <unistd.h>

#include "tests/scan/lab.hpp"
#include "tests/scan/scan_api.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/process.hpp"
#include "tests/support/qscan_server.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/wait.hpp"

using namespace qs::test;
namespace json = boost::json;

TEST_CASE("a scan job: 202 with its id, progress, every result once a page at a time with its "
          "analysis, and the asset history it feeds",
          "[scan][api]") {
  std::vector<std::string> targets = {lab_targets().at("rsa2048"), lab_targets().at("bun-pq"),
                                      lab_targets().at("chain"), "tls://127.0.0.1:1",
                                      "file://" + lab_file("p384.pem")};
  if (lab_targets().count("sshd-default"))
    targets.push_back(lab_targets().at("sshd-default"));
  qscan_server server({"--scan-files-root", lab_file(""), "--scan-chunk", "2"});
  http_client client(server.port());
  auto accepted = client.request(
      "POST", "/v1/scans", targets_body(targets, R"(,"options":{"timeout_ms":3000},"ticket":7)"),
      json_type);
  INFO(accepted.body);
  REQUIRE(accepted.status == 202);
  const auto id = std::string(accepted.json().at("id").as_string());
  CHECK(accepted.headers["location"] == "/v1/scans/" + id);
  CHECK(accepted.json().at("total") == targets.size());

  auto job = wait_for_job(client, id);
  CHECK(job.at("status") == "done");
  CHECK(job.at("progress").at("done") == targets.size());
  CHECK(job.at("progress").at("total") == targets.size());
  CHECK(job.at("request").at("ticket") == 7); // unknown members are kept
  const auto results = all_results(client, id, 2);
  REQUIRE(results.size() == targets.size());
  std::set<std::string> seen;
  for (const auto& r : results)
    seen.insert(std::string(r.at("target").as_string()));
  CHECK(seen == std::set<std::string>(targets.begin(), targets.end()));

  const auto& pq = result_for(results, lab_targets().at("bun-pq"));
  CHECK(strings(pq.at("tls").at("groups")).front() == "X25519MLKEM768");
  CHECK(pq.at("analysis").at("threat").at("threat_score").as_double() > 0);
  CHECK(pq.at("analysis").at("anomaly").as_object().contains("is_anomaly"));
  CHECK(pq.at("analysis").at("degraded") == false);
  const auto& refused = result_for(results, "tls://127.0.0.1:1");
  CHECK(refused.at("error") == "connection refused");
  CHECK(!refused.contains("analysis")); // nothing learned, nothing analysed
  CHECK(result_for(results, "file://" + lab_file("p384.pem"))
            .at("file")
            .at("items")
            .at(0)
            .at("curve") == "P-384");

  // The scanned target is an asset with its history, stored by the job's chunk.
  auto history = client.request("GET", "/v1/assets/" + percent_encoded(lab_targets().at("bun-pq")));
  REQUIRE(history.status == 200);
  const auto latest = history.json().at("latest");
  CHECK(std::string(latest.at("request_id").as_string()).rfind(id + "-", 0) == 0);
  CHECK(latest.at("scan_result").at("asset_type") == "tls_endpoint");
  CHECK(latest.at("scan_result").at("metadata").at("scan_job").as_string() == id);
  CHECK(client.request("GET", "/v1/assets/" + percent_encoded("tls://127.0.0.1:1")).status == 404);

  // The whole job as CycloneDX and SARIF, valid against the official schemas.
  temp_dir dir;
  auto cbom = client.request("GET", "/v1/scans/" + id + "/cbom");
  REQUIRE(cbom.status == 200);
  CHECK(cbom.headers["content-type"].rfind("application/vnd.cyclonedx+json", 0) == 0);
  { std::ofstream(dir.file("cbom.json")) << cbom.body; }
  CHECK(validate(QS_SHARED_DATA "/cyclonedx/bom-1.6.schema.json", dir.file("cbom.json")) == 0);
  CHECK(cbom.body.find("X25519MLKEM768") != std::string::npos);
  auto sarif = client.request("GET", "/v1/scans/" + id + "/sarif");
  REQUIRE(sarif.status == 200);
  { std::ofstream(dir.file("sarif.json")) << sarif.body; }
  CHECK(validate(QS_SHARED_DATA "/sarif/sarif-schema-2.1.0.json", dir.file("sarif.json")) == 0);
  CHECK(client.request("GET", "/v1/scans/scan-0000000000000000").status == 404);
  CHECK(client.request("GET", "/v1/scans/" + id + "?limit=0").status == 400);
}

TEST_CASE("what a scan job may not do is refused with the reason: bad fields by path, targets "
          "outside --scan-allow and the files root named, an endpoint scanned too often",
          "[scan][api]") {
  temp_dir keys_dir;
  qscan_server server(
      {"--scans-per-endpoint-per-minute", "2", "--scan-files-root", keys_dir.path()});
  http_client client(server.port());
  auto post = [&](const std::string& body) {
    return client.request("POST", "/v1/scans", body, json_type);
  };
  CHECK(post("{\"targets\": [").status == 400);
  auto invalid =
      post(R"({"targets": [7, "ftp://x", "tls://127.0.0.1:2"], "options": {"timeout_ms": 5}})");
  REQUIRE(invalid.status == 422);
  std::set<std::string> paths;
  const auto invalid_body = invalid.json();
  for (const auto& d : invalid_body.at("error").at("details").as_array())
    paths.insert(std::string(d.at("path").as_string()));
  CHECK(paths == std::set<std::string>{"targets[0]", "targets[1]", "options.timeout_ms"});
  CHECK(post(R"({"targets": []})").status == 422);
  CHECK(post(R"({"nothing": 1})").status == 422);

  auto outside =
      post(targets_body({"tls://10.1.2.3:443", "tls://127.0.0.1:2", "ssh://169.254.169.254:22",
                         "file:///etc/ssl", "file://" + keys_dir.path() + "/../.."}));
  REQUIRE(outside.status == 403);
  std::map<std::string, std::string> why;
  const auto outside_body = outside.json();
  for (const auto& d : outside_body.at("error").at("details").as_array())
    why[std::string(d.at("path").as_string())] = std::string(d.at("problem").as_string());
  CHECK(why.size() == 4);
  CHECK(why["targets[0]"].find("outside --scan-allow") != std::string::npos);
  CHECK(why["targets[2]"].find("169.254.169.254") != std::string::npos);
  CHECK(why["targets[3]"].find("--scan-files-root") != std::string::npos);
  CHECK(why["targets[4]"].find("outside --scan-files-root") != std::string::npos);
  CHECK(why.count("targets[1]") == 0);

  // Two scans of one endpoint a minute: a name and its address are one endpoint.
  CHECK(post(targets_body({"tls://localhost:2"})).status == 202);
  CHECK(post(targets_body({"tls://127.0.0.1:2", "ssh://127.0.0.1:3"})).status == 202);
  auto limited = post(targets_body({"ssh://127.0.0.1:3", "tls://127.0.0.1:2"}));
  REQUIRE(limited.status == 429);
  CHECK(std::stoi(limited.headers["retry-after"]) >= 1);
  const auto limited_body = limited.json();
  const auto& detail = limited_body.at("error").at("details").at(0);
  CHECK(detail.at("path") == "targets[1]");
  CHECK(detail.at("problem").as_string().find("127.0.0.1:2") != std::string::npos);
  // The refused job took nothing: the other endpoint has one scan left.
  CHECK(post(targets_body({"ssh://127.0.0.1:3"})).status == 202);
  CHECK(
      post(targets_body({"tls://127.0.0.1:4", "tls://127.0.0.1:4", "tls://127.0.0.1:4"})).status ==
      422);
}

TEST_CASE("a report waits for its job; with keys, scans need an admin key and are audited",
          "[scan][api]") {
  temp_dir dir;
  {
    std::ofstream(dir.file("keys"))
        << "user-key-0123456789 scorpius user\nadmin-key-0123456789 ops admin\n";
  }
  qscan_server server({"--api-keys", dir.file("keys")});
  http_client client(server.port());
  auto as = [](const char* key) {
    return std::vector<std::pair<std::string, std::string>>{
        {"Content-Type", "application/json"}, {"Authorization", std::string("Bearer ") + key}};
  };
  silent_port silent;
  const auto body = targets_body({silent.target()}, R"(,"options":{"timeout_ms":1500})");
  CHECK(client.request("POST", "/v1/scans", body, json_type).status == 401);
  CHECK(client.request("POST", "/v1/scans", body, as("user-key-0123456789")).status == 403);
  auto accepted = client.request("POST", "/v1/scans", body, as("admin-key-0123456789"));
  REQUIRE(accepted.status == 202);
  const auto id = std::string(accepted.json().at("id").as_string());
  CHECK(client.request("GET", "/v1/scans/" + id, "", as("user-key-0123456789")).status == 403);
  auto early = client.request("GET", "/v1/scans/" + id + "/sarif", "", as("admin-key-0123456789"));
  CHECK(early.status == 409);
  CHECK(early.json().at("error").at("code") == "scan_not_finished");
  auto job = wait_for_job(client, id, as("admin-key-0123456789"));
  auto done = client.request("GET", "/v1/scans/" + id, "", as("admin-key-0123456789"));
  CHECK(done.json().at("results").at(0).at("error").as_string().find("timed out") !=
        std::string::npos);
  CHECK(
      client.request("GET", "/v1/scans/" + id + "/sarif", "", as("admin-key-0123456789")).status ==
      200);
  CHECK(server.process().stderr_tail(1 << 16).find("\"action\":\"scan\",\"by\":\"ops\"") !=
        std::string::npos);
}

TEST_CASE("a job survives its process being killed: resumed on restart, every target answered "
          "once",
          "[scan][api][fault]") {
  temp_dir data;
  silent_port silent;
  std::vector<std::string> targets = {lab_targets().at("rsa2048"),    silent.target(),
                                      lab_targets().at("ecdsa-p256"), lab_targets().at("ed25519"),
                                      silent.target() + "/",          lab_targets().at("rsa4096")};
  std::string id;
  {
    qscan_server server({"--scan-chunk", "1", "--scan-workers", "1"}, data.path());
    http_client client(server.port());
    auto accepted =
        client.request("POST", "/v1/scans",
                       targets_body(targets, R"(,"options":{"timeout_ms":60000})"), json_type);
    REQUIRE(accepted.status == 202);
    id = std::string(accepted.json().at("id").as_string());
    // Killed while the silent target keeps a chunk waiting (for a minute: however
    // slow the machine, the job is still running when it is killed).
    REQUIRE(wait_until(
        [&] {
          auto r = client.request("GET", "/v1/scans/" + id + "?limit=1");
          return r.status == 200 && r.json().at("progress").at("done").as_int64() >= 1;
        },
        std::chrono::seconds(30)));
    auto before = client.request("GET", "/v1/scans/" + id).json();
    REQUIRE(before.at("status") == "running");
    REQUIRE(before.at("progress").at("done").as_int64() < std::int64_t(targets.size()));
    server.process().signal(SIGKILL);
    server.process().wait(std::chrono::seconds(10));
  }
  silent.close(); // after the restart, the silent targets are refused at once
  qscan_server again({}, data.path());
  http_client client(again.port());
  auto job = wait_for_job(client, id);
  CHECK(job.at("status") == "done");
  CHECK(job.at("progress").at("done") == targets.size());
  const auto results = all_results(client, id, 100);
  REQUIRE(results.size() == targets.size());
  std::multiset<std::string> seen;
  for (const auto& r : results) {
    seen.insert(std::string(r.at("target").as_string()));
    // The silent targets were scanned after the restart: refused, not timed out.
    if (r.at("target").as_string() == silent.target()) {
      INFO(json::serialize(r));
      CHECK(r.at("error") == "connection refused");
    }
  }
  for (const auto& t : {lab_targets().at("rsa2048"), lab_targets().at("ed25519")})
    CHECK(seen.count(t) == 1);
  CHECK(seen.count(silent.target()) == 2); // given twice, answered twice
  const auto log = again.process().stderr_tail(1 << 16);
  INFO(log);
  CHECK(log.find("resuming scan job " + id) != std::string::npos);
}

TEST_CASE("a post-quantum key exchange gone between two scans of one sshd is drift",
          "[scan][api][ssh]") {
  if (!lab_targets().count("sshd-default")) {
    WARN("no sshd in the lab: skipped");
    return;
  }
  temp_dir dir;
  const int port = free_port();
  auto config = [&](const char* kind) {
    std::ifstream in(lab_file(std::string("sshd-") + kind + ".conf"));
    std::ostringstream out;
    for (std::string line; std::getline(in, line);) {
      if (line.rfind("Port ", 0) == 0)
        line = "Port " + std::to_string(port);
      else if (line.rfind("PidFile ", 0) == 0)
        line = "PidFile " + dir.file(std::string(kind) + ".pid");
      out << line << "\n";
    }
    std::ofstream(dir.file(kind)) << out.str();
    return dir.file(kind);
  };
  const std::string target = "ssh://127.0.0.1:" + std::to_string(port);
  qscan_server server;
  http_client client(server.port());
  auto scan_once = [&](const char* kind) {
    auto sshd = child_process::start({"/usr/sbin/sshd", "-D", "-e", "-f", config(kind)});
    REQUIRE(wait_until([&] { return port_open(port); }, std::chrono::seconds(10)));
    auto accepted = client.request("POST", "/v1/scans", targets_body({target}), json_type);
    REQUIRE(accepted.status == 202);
    const auto id = std::string(accepted.json().at("id").as_string());
    wait_for_job(client, id);
    sshd.signal(SIGTERM);
    sshd.wait(std::chrono::seconds(10));
    return all_results(client, id, 10).at(0).as_object();
  };
  const auto first = scan_once("default");
  CHECK(strings(first.at("ssh").at("kex")).front().find("sntrup761x25519") != std::string::npos);
  const auto types = [](const json::object& r) {
    return strings(r.at("analysis").at("anomaly").at("anomaly_types"));
  };
  const auto has = [](const std::vector<std::string>& list, const char* type) {
    return std::find(list.begin(), list.end(), type) != list.end();
  };
  CHECK(!has(types(first), "post_quantum_removed"));
  const auto second = scan_once("classical");
  const auto& anomaly = second.at("analysis").at("anomaly");
  INFO(json::serialize(anomaly));
  CHECK(anomaly.at("is_anomaly") == true);
  CHECK(has(types(second), "post_quantum_removed"));
  CHECK(anomaly.at("details").as_array().back().as_string().find("sntrup761x25519") !=
        std::string::npos);
  auto history = client.request("GET", "/v1/assets/" + percent_encoded(target));
  REQUIRE(history.status == 200);
  CHECK(history.json().at("total") == 2);
}
