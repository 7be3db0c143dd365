// Prometheus gauges per scanned target, from a real scan job of lab servers: the
// post-quantum server offers a post-quantum key exchange and the RSA one does not,
// certificate expiry and quantum risk are there, a target that could not be reached
// is 0 in qscan_target_scan_ok; with --target-metrics 2, only the two most
// recently scanned targets keep gauges and the others count as evicted.
#include <catch2/catch.hpp>

#include "tests/scan/lab.hpp"
#include "tests/scan/scan_api.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/qscan_server.hpp"

using namespace qs::test;

namespace {

/// The value of the sample `name{target="TARGET"}` in `metrics`, or "" if absent.
std::string sample(const std::string& metrics, const std::string& name, const std::string& target) {
  const auto line = name + "{target=\"" + target + "\"} ";
  const auto at = metrics.find(line);
  if (at == std::string::npos)
    return "";
  const auto end = metrics.find('\n', at);
  return metrics.substr(at + line.size(), end - at - line.size());
}

std::string scan_and_read_metrics(qscan_server& server, const std::vector<std::string>& targets) {
  http_client client(server.port());
  auto accepted = client.request(
      "POST", "/v1/scans", targets_body(targets, R"(,"options":{"timeout_ms":3000})"), json_type);
  INFO(accepted.body);
  REQUIRE(accepted.status == 202);
  auto job = wait_for_job(client, std::string(accepted.json().at("id").as_string()));
  REQUIRE(job.at("status") == "done");
  return client.request("GET", "/metrics").body;
}

} // namespace

TEST_CASE("each scanned target has gauges of its latest scan, as many targets as allowed",
          "[scan][api][metrics]") {
  const auto pq = lab_targets().at("bun-pq");
  const auto rsa = lab_targets().at("rsa2048");
  const std::string closed = "tls://127.0.0.1:1";
  {
    qscan_server server;
    const auto metrics = scan_and_read_metrics(server, {pq, rsa, closed});
    INFO(metrics);
    CHECK(sample(metrics, "qscan_target_post_quantum_key_exchange", pq) == "1");
    CHECK(sample(metrics, "qscan_target_post_quantum_key_exchange", rsa) == "0");
    CHECK(sample(metrics, "qscan_target_scan_ok", rsa) == "1");
    CHECK(sample(metrics, "qscan_target_scan_ok", closed) == "0");
    CHECK(std::stod(sample(metrics, "qscan_target_quantum_risk", rsa)) > 0);
    CHECK(std::stod(sample(metrics, "qscan_target_certificate_expiry_timestamp_seconds", rsa)) >
          1.7e9);
    CHECK(sample(metrics, "qscan_target_quantum_risk", closed).empty()); // nothing learned
    CHECK(std::stod(sample(metrics, "qscan_target_last_scan_timestamp_seconds", closed)) > 1.7e9);
  }
  qscan_server capped({"--target-metrics", "2"});
  const auto metrics = scan_and_read_metrics(capped, {pq, rsa, closed});
  INFO(metrics);
  int with_gauges = 0;
  for (const auto& t : {pq, rsa, closed})
    with_gauges += !sample(metrics, "qscan_target_scan_ok", t).empty();
  CHECK(with_gauges == 2);
  CHECK(metrics.find("qscan_target_metrics_evicted_total 1\n") != std::string::npos);
}
