// The scanner role's messages on the cluster wire: tasks, results, and a bridge's
// POST /v1/scans with its answer; and a scanned target as its asset's scan result.
#include <catch2/catch.hpp>

#include "actors/cluster/scan_task_codec.hpp"
#include "actors/scanner/asset_scan.hpp"

using namespace qs;
using namespace qs::actors;

namespace {
template<class T, class V> T ok(const V& v) {
  if (auto* why = std::get_if<std::string>(&v))
    FAIL(*why);
  return std::get<T>(v);
}
template<class V> std::string error_of(const V& v) {
  return std::holds_alternative<std::string>(v) ? std::get<std::string>(v) : "";
}
} // namespace

TEST_CASE("a scan task keeps each target's checked address and the options", "[scanner][wire]") {
  scan_chunk chunk;
  for (const char* text : {"tls://db.internal:8443", "ssh://[fd00::7]:22", "file:///etc/ssl"})
    chunk.targets.push_back(std::get<scanner::target>(scanner::parse_target(text)));
  chunk.targets[0].address = "10.0.0.7";
  chunk.targets[1].address = "fd00::7";
  chunk.timeout = std::chrono::milliseconds(1234);
  chunk.probes_per_endpoint = 3;
  const auto back = ok<scan_chunk>(wire::decode_scan_task(wire::encode_scan_task(chunk)));
  REQUIRE(back.targets.size() == 3);
  CHECK(back.targets[0].host == "db.internal");
  CHECK(back.targets[0].address == "10.0.0.7");
  CHECK(back.targets[1].host == "fd00::7");
  CHECK(back.targets[2].path == "/etc/ssl");
  CHECK(back.timeout.count() == 1234);
  CHECK(back.probes_per_endpoint == 3);
  CHECK(error_of(wire::decode_scan_task(R"({"targets":[{"target":"ftp://x","address":""}],)"
                                        R"("timeout_ms":1,"probes_per_endpoint":1})"))
            .rfind("scan task field \"targets[0]\": ", 0) == 0);
  CHECK(error_of(
            wire::decode_scan_task(R"({"targets":[],"timeout_ms":0,"probes_per_endpoint":1})")) ==
        "scan task field \"timeout_ms\" must be an integer from 1 to 600000");
  CHECK(error_of(wire::decode_scan_task("[]")) == "scan task is not a JSON object");
}

TEST_CASE("a scanner's results come back per target, a folder's several", "[scanner][wire]") {
  scanner::target_result a;
  a.target = "tls://127.0.0.1:1";
  a.error = "connection refused";
  scanner::target_result b;
  b.target = "file:///k/a.pem";
  b.kind = scanner::target_kind::file;
  b.file = scanner::file_inventory{"/k/a.pem", {}};
  auto c = b;
  c.target = "file:///k/b.pem";
  const std::vector<std::vector<scanner::target_result>> results = {{a}, {b, c}};
  const auto back = ok<std::vector<std::vector<scanner::target_result>>>(
      wire::decode_scan_results(wire::encode_scan_results(results)));
  REQUIRE(back.size() == 2);
  CHECK(back[0][0].error == "connection refused");
  REQUIRE(back[1].size() == 2);
  CHECK(back[1][1].target == "file:///k/b.pem");
  CHECK(error_of(wire::decode_scan_results(R"([[{"kind":"gopher"}]])")) ==
        "scan results[0][0].kind: expected \"tls\", \"ssh\" or \"file\"");
  // Found by scan_jobs_fuzz: a count too large for an integer was cast regardless.
  CHECK(error_of(wire::decode_scan_results(R"([[{"kind": "tls", "elapsed_ms": 1.45e46}]])")) ==
        "scan results[0][0].elapsed_ms: expected an integer from -2^63 to 2^63-1");
  CHECK(error_of(wire::decode_scan_results(R"([[{"kind": "tls", "elapsed_ms": 2.5}]])")) ==
        "scan results[0][0].elapsed_ms: expected an integer from -2^63 to 2^63-1");
  CHECK(error_of(wire::decode_scan_results(
            R"([[{"kind": "tls", "elapsed_ms": 18446744073709551615}]])")) ==
        "scan results[0][0].elapsed_ms: expected an integer from -2^63 to 2^63-1");
  CHECK(ok<std::vector<std::vector<scanner::target_result>>>(
            wire::decode_scan_results(R"([[{"kind": "tls", "elapsed_ms": 144.0}]])"))[0][0]
            .elapsed_ms == 144);
}

TEST_CASE("a bridge's scan submission and its answer cross the wire whole", "[scanner][wire]") {
  const scan_submission sub{"{\"targets\":[\"tls://a:1\"]}\n", "key-1", "req-9"};
  const auto got =
      ok<scan_submission>(wire::decode_scan_submission(wire::encode_scan_submission(sub)));
  CHECK(got.body == sub.body);
  CHECK(got.owner == "key-1");
  CHECK(got.request_id == "req-9");
  const scan_submitted answer{429, "{\"error\":{}}", 17};
  const auto back =
      ok<scan_submitted>(wire::decode_scan_submitted(wire::encode_scan_submitted(answer)));
  CHECK(back.status == 429);
  CHECK(back.retry_after == 17);
  CHECK(back.body == answer.body);
  CHECK(error_of(wire::decode_scan_submitted(R"({"body":"","status":42,"retry_after":0})")) != "");
}

TEST_CASE("a scanned target is its asset's scan result: post-quantum entries kept, score the "
          "scanner's",
          "[scanner][asset]") {
  scanner::target_result r;
  r.target = "tls://127.0.0.1:8443";
  r.address = "127.0.0.1";
  r.quantum_risk_score = 0.42;
  r.risk_level = "MEDIUM";
  r.findings.push_back({"QS-KEX-PQ-HYBRID", "X25519MLKEM768", "key exchange", "hybrid", 3, "", "",
                        "info", "post-quantum hybrid", "tls://127.0.0.1:8443", 0});
  r.findings.push_back({"QS-KEX-QUANTUM-VULNERABLE", "secp256r1", "key exchange", "broken_by_shor",
                        0, "X25519MLKEM768", "2030", "high", "Shor", "tls://127.0.0.1:8443", 0});
  r.findings.push_back({"QS-TLS-INFO", "TLS", "protocol", "not_affected", 0, "", "", "info",
                        "a fact", "tls://127.0.0.1:8443", 0});
  const auto s = scanner::asset_scan(r, "2026-12-03T10:00:00+00:00", "scan-1");
  CHECK(s.asset_id == "tls://127.0.0.1:8443");
  CHECK(s.asset_type == "tls_endpoint");
  REQUIRE(s.vulnerabilities.size() == 2);
  CHECK(s.vulnerabilities[0].type == "quantum_safe");
  CHECK(s.vulnerabilities[0].level == protocol::severity::info);
  CHECK(s.vulnerabilities[1].type == "quantum_vulnerable");
  CHECK(s.vulnerabilities[1].algorithm == "secp256r1");
  REQUIRE(s.quantum_risk_score);
  CHECK(*s.quantum_risk_score == Approx(0.42));
  CHECK(s.metadata().at("scan_job") == "scan-1");
  CHECK(s.metadata().at("address") == "127.0.0.1");
}
