// What the storage keeps: one entry per scan result with the answers it got,
// idempotent answers by key, and labelled training examples. Plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace qs::runtime::storage {

/// What the asset list and the estate overview keep of an entry (asset_state.hpp),
/// taken where the entry is made from values already parsed.
struct entry_summary {
  std::string asset_type;
  std::int64_t findings = 0;             ///< the scan result's vulnerabilities
  std::optional<double> quantum_risk;    ///< its quantum_risk_score
  std::optional<double> threat_score;    ///< when a prediction was made
  std::optional<bool> is_anomaly;        ///< when anomalies were judged
  std::string scan_job;                  ///< the scan job that produced it; "" when posted
  std::string kind;                      ///< "tls", "ssh", "file" for a scanned target
  std::optional<bool> post_quantum;      ///< a scanned TLS endpoint offers a PQ group
  std::string not_after;                 ///< the earliest leaf certificate expiry, ISO 8601
  std::vector<std::string> vulnerable;   ///< quantum-vulnerable algorithms, each once
  std::optional<double> top_probability; ///< the finding most likely exploited: its
  std::string top_title;                 ///<   probability, title, CVE and whether
  std::string top_cve;                   ///<   CISA's KEV lists it
  bool top_known_exploited = false;
};

/// One stored scan result and the answers given for it. JSON members are
/// serialised JSON text ("" when that answer was not asked for).
struct entry {
  std::int64_t id = 0; ///< assigned by storage, increasing; 0 before it is stored
  std::string asset_id;
  std::string request_id;     ///< the HTTP request that brought it
  std::string operation;      ///< "predict", "detect-anomalies", "enhance", "train"
  std::string scan_timestamp; ///< the scan result's own timestamp
  std::string stored_at;      ///< ISO 8601, when it was received
  std::string scan_result;    ///< JSON object
  std::string prediction;     ///< JSON object or ""
  std::string anomaly;        ///< JSON object or ""
  /// For the asset list; not stored with the entry. Unset: the writer reads it
  /// from the JSON above (entries written before it was carried).
  std::optional<entry_summary> summary;
};

/// The full answer to a request that carried an Idempotency-Key.
struct idempotent_answer {
  std::string key;   ///< "<scope>:<Idempotency-Key>": scope is the API key's id, or "open"
  std::string route; ///< which handler answered, so a key reused elsewhere is refused
  unsigned status = 200;
  std::string body;
  /// SHA-256 (hex) of the route and body it answered: the same key with
  /// another body is refused. "" in answers stored before it was kept.
  std::string fingerprint;
};

struct training_example {
  std::string asset_id;
  std::string scan_result;       ///< JSON object
  std::optional<bool> exploited; ///< label when any finding carried one
  std::string stored_at;
};

/// A trained model version: its metrics (JSON) and the model file's bytes
/// ("" when listed without them).
struct stored_model {
  std::string version;
  std::string kind; ///< "threat_predictor"
  std::string created_at;
  std::string metrics;
  std::string model;
};

/// Everything one request writes; committed atomically.
struct write_batch {
  /// When set, a second batch with the same id is skipped: a request is
  /// stored once even if both the cluster and the fallback answered it.
  std::string request_id;
  std::vector<entry> entries;
  std::vector<training_example> examples;
  std::optional<idempotent_answer> answer;
};

/// A page of an asset's history, newest first.
struct history_page {
  std::vector<entry> entries;
  std::int64_t total = 0;          ///< all stored entries of that asset
  std::optional<std::string> next; ///< opaque cursor for the next page
};

/// A scan job of `POST /v1/scans`: its targets and options (`request`, JSON),
/// where it stands, and who asked for it.
struct scan_job {
  std::string id;
  std::string status = "queued"; ///< "queued", "running", "done", "failed"
  std::string request;           ///< JSON: {"targets": [...], "options": {...}}
  std::int64_t total = 0;        ///< targets
  std::int64_t done = 0;         ///< targets with their results stored
  std::string error;             ///< why it failed
  std::string owner;             ///< the API key id that asked ("" without keys)
  std::string created_at;
  std::string updated_at;
};

/// A scheduled scan (POST /v1/schedules): its request and when it runs next.
struct schedule {
  std::string id;
  std::string name;
  std::string request; ///< JSON: the body as sent (targets, options, every or cron, jitter)
  std::string owner;   ///< the API key id that made it ("" without keys)
  std::string created_at;
  std::int64_t next_run = 0; ///< seconds since the epoch, UTC
  std::string last_scan;     ///< the scan job of its latest run; "" before the first
  std::string last_run_at;   ///< when that run was started
};

/// A page of scan jobs, newest first.
struct scan_job_page {
  std::vector<scan_job> jobs;
  std::int64_t total = 0; ///< the jobs matching
};

/// One target's result of a scan job (a folder target has one per key file).
/// `position` orders them: target index * 2^20 + the file's index.
struct scan_result_row {
  std::int64_t position = 0;
  std::string target;
  std::string result; ///< JSON, the `json` format's object
};

struct training_counts {
  std::int64_t examples = 0;
  std::int64_t labelled = 0;
  std::int64_t positives = 0;
};

} // namespace qs::runtime::storage
