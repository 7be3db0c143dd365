#include "runtime/storage/compact/json_dictionary.hpp"

namespace qs::runtime::storage::compact {

namespace {

// Rarer texts first, those nearly every record holds last. Scan results (as the
// bridge and the scanners write them), predictions, anomalies, answer bodies.
constexpr char dictionary[] =
    // Scorpius's shapes, scanner output, train answers and the envelope of answer bodies.
    R"~({"target_id":"","target_type":"","scan_time":"","findings":[{"vulnerability_type":"",)~"
    R"~("details":{"quantum_vulnerable":true}}],"risk_score":0.5,"scan_metadata":{}})~"
    R"~({"id":"","title":"","category":"","severity_value":3,"description":"","recommendation":"",)~"
    R"~("references":[],"tags":[],"swc_id":"SWC-107","cve_id":"CVE-2024-","cvss_vector":)~"
    R"~("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H","exploited":false,)~"
    R"~("filename":"","line":1,"column":1})~"
    R"~({"original_results":[],"ai_predictions":[],"anomaly_detections":[],)~"
    R"~("analysis_timestamp":"","enhanced_risk_assessment":{"overall_risk":0.0,)~"
    R"~("quantum_risk":0.0,"ai_threat_risk":0.0,"anomaly_rate":0.0,"risk_factors":[)~"
    R"~("High quantum vulnerability detected","High AI-predicted threat probability",)~"
    R"~("Significant anomalous behavior detected"],"risk_level":"MINIMAL","LOW","MEDIUM",)~"
    R"~("HIGH","CRITICAL"},"stored_examples":0,"labelled":0,"model_type":"threat_predictor",)~"
    R"~("degraded_reasons":["coordinator: "],"warnings":[]})~"
    R"~({"kind":"tls","host":"","port":443,"protocol_versions":["TLSv1.2","TLSv1.3"],)~"
    R"~("cipher_suites":["TLS_AES_256_GCM_SHA384","TLS_CHACHA20_POLY1305_SHA256",)~"
    R"~("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"],"groups":["X25519MLKEM768","x25519",)~"
    R"~("secp256r1"],"certificate":{"subject":"CN=","issuer":"CN=","not_before":"",)~"
    R"~("not_after":"","key_type":"RSA","key_bits":2048,"signature_algorithm":)~"
    R"~("sha256WithRSAEncryption"},"ssh-ed25519","ecdsa-sha2-nistp256","ssh-rsa",)~"
    R"~("curve25519-sha256","sntrup761x25519-sha512@openssh.com","mlkem768x25519-sha256"})~"
    // Threat types and their mitigations; anomaly types and their details.
    R"~(["injection","remote_code_execution","authentication_bypass","hardcoded_credentials",)~"
    R"~("broken_access_control","path_traversal","memory_corruption","cross_site_scripting",)~"
    R"~("cross_site_request_forgery","server_side_request_forgery","xml_external_entity",)~"
    R"~("improper_certificate_validation","weak_cryptography","weak_randomness",)~"
    R"~("information_disclosure","denial_of_service","improper_input_validation",)~"
    R"~("open_redirect","cleartext_transmission","reentrancy","integer_overflow",)~"
    R"~("unchecked_call_return_value","unprotected_ether_withdrawal","unprotected_selfdestruct",)~"
    R"~("delegatecall_to_untrusted_callee","tx_origin_authentication",)~"
    R"~("transaction_order_dependence","timestamp_dependence","known_exploited"])~"
    R"~(["Use parameterised queries or argument arrays and validate input",)~"
    R"~("Block untrusted code execution, uploads and deserialisation",)~"
    R"~("Enforce authentication on every path",)~"
    R"~("Move hard-coded credentials into a secret store and rotate them",)~"
    R"~("Enforce authorisation checks","Canonicalise and confine file paths",)~"
    R"~("Fix the memory-safety bug (bounds and lifetimes)",)~"
    R"~("Encode output and set a Content-Security-Policy","Validate certificates and host names",)~"
    R"~("Use a cryptographically secure random source","Encrypt the channel with TLS 1.3",)~"
    R"~("Replace the short key with ML-KEM-768 or ML-DSA-65",)~"
    R"~("Replace the weak cryptography with AES-256-GCM, SHA-384 and ML-KEM/ML-DSA",)~"
    R"~("Migrate the quantum-vulnerable public-key cryptography to ML-KEM-768 and ML-DSA-65",)~"
    R"~("No findings reported; keep scanning regularly"])~"
    R"~(["algorithm_concentration","inconsistent_key_sizes","key_downgrade",)~"
    R"~("algorithm_weakened","post_quantum_removed","finding_count_spike","metric_anomaly"],)~"
    R"~("details":[" makes up 100% of 10 algorithm entries"," uses 3 key sizes: ",)~"
    R"~(" key size down from 2048 to 1024 bits since the previous scan",)~"
    R"~("Weakest NIST quantum security level fell from 1 to 0",)~"
    R"~("Post-quantum algorithms no longer seen: ML-KEM-768","Findings rose from 1 to 10"])~"
    // Algorithms and their replacements, as findings name them and mitigations word them.
    R"~("algorithm":"DSA","algorithm":"DH","algorithm":"3DES","algorithm":"RC4",)~"
    R"~("algorithm":"ECDSA-P384","algorithm":"Ed25519","algorithm":"RSA-4096",)~"
    R"~("algorithm":"SHA-256","algorithm":"AES-256-GCM","algorithm":"ML-DSA-65",)~"
    R"~("algorithm":"SLH-DSA","algorithm":"ChaCha20-Poly1305",)~"
    R"~( signature at code-signing with ML-DSA-65 (ECDSA-P256 is broken by Shor's algorithm;)~"
    R"~( NIST IR 8547 disallows it after 2035)",)~"
    R"~("Remediate 'pqc_deployed' at tls:443 hybrid key_share",)~"
    R"~("Replace SHA-1 hash at x509 signature with SHA-384 (SHA-1 is already classically broken)",)~"
    R"~("Replace MD5 hash at tls:443 with SHA-384 (MD5 is already classically broken)",)~"
    R"~("Replace AES-128-GCM cipher at tls:443 cipher with AES-256-GCM (Grover's algorithm)~"
    R"~( halves its effective strength)",)~"
    R"~("Replace RSA-2048 key exchange at tls:443 with ML-KEM-768 (RSA-2048 is broken by)~"
    R"~( Shor's algorithm; NIST IR 8547 deprecates it after 2030 and disallows it after 2035)",)~"
    R"~("Replace X25519 key exchange at tls:443 key_share with ML-KEM-768 (X25519 is broken by)~"
    R"~( Shor's algorithm; NIST IR 8547 disallows it after 2035)",)~"
    R"~("Replace RSA-1024 key exchange at tls:443 with ML-KEM-768 (RSA-1024 is already)~"
    R"~( classically broken)"])~"
    // An anomaly answer.
    R"~({"is_anomaly":false,"anomaly_score":0.0,"anomaly_types":[],"confidence":0.9,)~"
    R"~("detected_at":"2026-12-01T00:00:00.000000+00:00","details":[]})~"
    R"~({"is_anomaly":true,"anomaly_score":0.9,"anomaly_types":["deprecated_usage"],)~"
    R"~("confidence":0.85,"detected_at":"2026-12-01T00:00:00.000000+00:00","details":[)~"
    R"~("Deprecated or classically broken algorithms in use: MD5, RSA-1024, SHA-1"]})~"
    // A prediction.
    R"~({"threat_score":0.0,"threat_types":["quantum_vulnerable_key_exchange",)~"
    R"~("quantum_vulnerable_signature","quantum_vulnerable_public_key","weak_key_size",)~"
    R"~("deprecated_hash","grover_weakened_cipher"],"confidence":0.3,"mitigation_steps":[],)~"
    R"~("predicted_at":"2026-12-01T00:00:00.000000+00:00","model_version":"xgb-",)~"
    R"~("findings":[{"cve_id":"CVE-2024-0000","exploit_probability":0.0,"known_exploited":true,)~"
    R"~("catalogued":true},{"exploit_probability":0.000,"known_exploited":false,)~"
    R"~("catalogued":false}]})~"
    // A scan result.
    R"~({"asset_id":"","asset_type":"web_service","api_gateway","database","load_balancer",)~"
    R"~("tls_endpoint","ssh_endpoint","key_file","certificate","smart_contract",)~"
    R"~("vulnerabilities":[{"type":"pqc_deployed","severity":"info","algorithm":"ML-KEM-768",)~"
    R"~("location":"tls:443 hybrid key_share"},{"type":"weak_symmetric","severity":"low","algorithm":)~"
    R"~("AES-128-GCM","location":"tls:443 cipher","cwe_id":"CWE-326","cvss_score":3.7},)~"
    R"~({"type":"weak_hash","severity":"high","algorithm":"SHA-1","location":"x509 signature",)~"
    R"~("cwe_id":"CWE-328","cvss_score":7.5},{"type":"weak_hash","severity":"critical",)~"
    R"~("algorithm":"MD5","location":"tls:443","cwe_id":"CWE-328","cvss_score":9.8},)~"
    R"~({"type":"weak_crypto","severity":"critical","algorithm":"RSA-1024","location":)~"
    R"~("tls:443","cwe_id":"CWE-326","cvss_score":9.1},{"type":"quantum_vulnerable",)~"
    R"~("severity":"medium","algorithm":"X25519","location":"tls:443 key_share","cwe_id":)~"
    R"~("CWE-327","cvss_score":5.9},{"type":"quantum_vulnerable","severity":"high",)~"
    R"~("algorithm":"ECDSA P-256","location":"tls:443","cwe_id":"CWE-327","cvss_score":7.1},)~"
    R"~({"type":"quantum_vulnerable","severity":"high","algorithm":"RSA-2048","location":)~"
    R"~("tls:443","cwe_id":"CWE-327","cvss_score":7.4}],"quantum_risk_score":0.5,)~"
    R"~("timestamp":"2026-11-25T00:00:00","metadata":{}})~";

} // namespace

std::string_view json_dictionary() {
  return {dictionary, sizeof dictionary - 1};
}

} // namespace qs::runtime::storage::compact
