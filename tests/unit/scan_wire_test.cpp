// The scanner role's messages on the cluster wire: tasks, results, and a bridge's
// POST /v1/scans with its answer; and a scanned target as its asset's scan result.
#include <catch2/catch.hpp>

#include <boost/json/parse.hpp>

#include "actors/cluster/scan_task_codec.hpp"
#include "actors/scanner/asset_scan.hpp"
#include "protocol/cbor_json.hpp"
#include "protocol/wire_errc.hpp"
#include "tests/support/cbor_tree.hpp"

using namespace qs;
using namespace qs::actors;
using qs::test::cbor_tree;

namespace {
template<class T> T ok(const qs::expected<T>& v) {
  if (!v)
    FAIL(v.error().message);
  return *v;
}
template<class T> std::string error_of(const qs::expected<T>& v) {
  return v ? "" : v.error().message;
}
// Results as the scanner's JSON would give them, as a CBOR value.
std::string results(const char* json) {
  return protocol::json_to_cbor(boost::json::parse(json));
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
  const std::string bytes = wire::encode_scan_task(chunk);
  const auto back = ok(wire::decode_scan_task(bytes));
  REQUIRE(back.targets.size() == 3);
  CHECK(back.targets[0].host == "db.internal");
  CHECK(back.targets[0].address == "10.0.0.7");
  CHECK(back.targets[1].host == "fd00::7");
  CHECK(back.targets[2].path == "/etc/ssl");
  CHECK(back.timeout.count() == 1234);
  CHECK(back.probes_per_endpoint == 3);

  auto tree = cbor_tree::parse(bytes);
  tree.at("targets").at(0).at("target") = cbor_tree::text("ftp://x");
  CHECK(error_of(wire::decode_scan_task(tree.encode()))
            .rfind("task.payload.targets[0].target: ", 0) == 0);
  tree = cbor_tree::parse(bytes);
  tree.at("timeout_ms") = cbor_tree::unsigned_int(0);
  CHECK(error_of(wire::decode_scan_task(tree.encode())) ==
        "task.payload.timeout_ms: expected an integer from 1 to 600000, got 0");
  tree = cbor_tree::parse(bytes);
  tree.at("targets").at(1).erase("address");
  CHECK(error_of(wire::decode_scan_task(tree.encode())) ==
        "task.payload.targets[1].address: is missing");
  CHECK(error_of(wire::decode_scan_task("\x80")) == "task.payload: expected a map, got an array");
}

TEST_CASE("a scanner's results come back per target, a folder's several", "[scanner][wire]") {
  scanner::target_result a;
  a.target = "tls://127.0.0.1:1";
  a.error = "connection refused";
  a.quantum_risk_score = 0.1 + 0.2; // a double in the document: kept bit for bit
  scanner::target_result b;
  b.target = "file:///k/a.pem";
  b.kind = scanner::target_kind::file;
  b.file = scanner::file_inventory{"/k/a.pem", {}};
  auto c = b;
  c.target = "file:///k/b.pem";
  const wire::scan_results sent = {{a}, {b, c}};
  const auto back = ok(wire::decode_scan_results(wire::encode_scan_results(sent)));
  REQUIRE(back.size() == 2);
  CHECK(back[0][0].error == "connection refused");
  CHECK(back[0][0].quantum_risk_score == 0.1 + 0.2);
  REQUIRE(back[1].size() == 2);
  CHECK(back[1][1].target == "file:///k/b.pem");
  CHECK(error_of(wire::decode_scan_results(results(R"([[{"kind":"gopher"}]])"))) ==
        "result.payload[0][0]: kind: expected \"tls\", \"ssh\" or \"file\"");
  CHECK(error_of(wire::decode_scan_results(results(R"([[{"kind": "tls", "elapsed_ms": 2.5}]])"))) ==
        "result.payload[0][0]: elapsed_ms: expected an integer from -2^63 to 2^63-1");
  CHECK(error_of(wire::decode_scan_results(
            results(R"([[{"kind": "tls", "elapsed_ms": 18446744073709551615}]])"))) ==
        "result.payload[0][0]: elapsed_ms: expected an integer from -2^63 to 2^63-1");
  CHECK(ok(wire::decode_scan_results(results(R"([[{"kind": "tls", "elapsed_ms": 144.0}]])")))[0][0]
            .elapsed_ms == 144);
  CHECK(error_of(wire::decode_scan_results(results(R"([{"kind":"tls"}])"))) ==
        "result.payload[0]: expected an array, got a map");
}

TEST_CASE("a bridge's scan submission and its answer cross the wire whole, bodies as bytes",
          "[scanner][wire]") {
  const scan_submission sub{"{\"targets\":[\"tls://a:1\"]}\n", "key-1", "req-9"};
  const auto got = ok(wire::decode_scan_submission(wire::encode_scan_submission(sub)));
  CHECK(got.body == sub.body);
  CHECK(got.owner == "key-1");
  CHECK(got.request_id == "req-9");
  const scan_submitted answer{429, "{\"error\":{}}", 17};
  const std::string bytes = wire::encode_scan_submitted(answer);
  const auto back = ok(wire::decode_scan_submitted(bytes));
  CHECK(back.status == 429);
  CHECK(back.retry_after == 17);
  CHECK(back.body == answer.body);
  auto tree = cbor_tree::parse(bytes);
  CHECK(tree.at("body").kind == protocol::cbor::kind::bytes);
  tree.at("status") = cbor_tree::unsigned_int(42);
  CHECK(error_of(wire::decode_scan_submitted(tree.encode())) ==
        "reply.value.status: expected an integer from 100 to 599, got 42");
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
