#include "nodes/serve_options.hpp"

namespace qs::nodes {

void register_options(runtime::config::option_set& set, serve_options& o) {
  set.add("listen", "HOST:PORT for the HTTP bridge; port 0 binds a free port", o.listen)
      .add("data-dir", "folder for the SQLite database (created if missing)", o.data_dir)
      .add("api-keys",
           "file of API keys (sha256:DIGEST NAME user|admin [RATE] [BURST] per line; qscan "
           "api-key new); reread on SIGHUP; without it the bridge binds loopback only",
           o.api_keys)
      .flag("insecure-listen", "allow a non-loopback listen address without API keys",
            o.insecure_listen)
      .add("tls-cert", "PEM certificate chain: serve HTTPS (with --tls-key; reread on SIGHUP)",
           o.tls_cert)
      .add("tls-key", "PEM private key of --tls-cert", o.tls_key)
      .add("body-limit", "largest request body in bytes (413 past it)", o.body_limit, 1024,
           std::size_t{1} << 31)
      .add("body-budget",
           "request body bytes held at once across all connections (503 past it); 0 is twice "
           "--body-limit, and it is never below --body-limit",
           o.body_budget, 0, std::size_t{1} << 40)
      .add("header-limit", "largest request header (and trailer) section in bytes (431 past it)",
           o.header_limit, 1024, 1024 * 1024)
      .add("auth-failures-per-minute",
           "wrong API keys a client address may send a minute before it gets 429 (0: no limit)",
           o.auth_failures_per_minute, 0, 1e6)
      .add("max-depth", "deepest JSON nesting accepted (400 past it)", o.max_depth, 4, 1024)
      .add("max-scan-results", "most scan results in one request", o.max_scan_results, 1, 1000000)
      .add("request-deadline-ms", "time the cluster has to answer before the bridge degrades",
           o.request_deadline_ms, 10, 600000)
      .add("task-timeout-ms", "time a worker has for one task before it is retried",
           o.task_timeout_ms, 10, 600000)
      .add("read-timeout-ms", "time a client has to send a whole request", o.read_timeout_ms, 100,
           600000)
      .add("idle-timeout-ms", "keep-alive connection idle time before it is closed",
           o.idle_timeout_ms, 100, 3600000)
      .add("max-connections", "open connections before new ones get 503", o.max_connections, 1,
           1000000)
      .add("io-threads", "HTTP I/O threads", o.io_threads, 1, 256)
      .add("storage-threads",
           "threads that make storage calls (reads for the HTTP API, anomaly replays)",
           o.storage_threads, 1, 256)
      .add("actor-threads", "CAF scheduler threads", o.actor_threads, 1, 256)
      .add("predictor-workers", "predictor workers in the supervised pool", o.predictor_workers, 1,
           256)
      .add("anomaly-shards", "anomaly shard actors (assets hashed across them)", o.anomaly_shards,
           1, 1024)
      .add("max-restarts", "restarts a supervisor allows within the restart window", o.max_restarts,
           0, 1000)
      .add("restart-window-ms", "the restart budget's window", o.restart_window_ms, 100, 3600000)
      .add("sync",
           "SQLite durability: full (fsync every commit) or normal (safe against a "
           "process crash, not a power cut)",
           o.sync)
      .add("weight-quantum", "risk weight of the quantum score", o.weight_quantum, 0, 1)
      .add("weight-threat", "risk weight of the threat score", o.weight_threat, 0, 1)
      .add("weight-anomaly", "risk weight of the anomaly rate", o.weight_anomaly, 0, 1)
      .flag("fault-injection",
            "TESTS ONLY: honour metadata.qscan_fault (crash-predictor, crash-anomaly)",
            o.fault_injection)
      .add("scan-allow",
           "CIDR blocks POST /v1/scans may make the cluster connect to, comma-separated; a "
           "scanner node checks them again before it connects",
           o.scan_allow)
      .add("exploit-model",
           "exploit model file (qscan model train); default: the newest version stored by "
           "retraining, else the model this build ships",
           o.exploit_model)
      .add("cve-catalogue",
           "CVE catalogue file (qscan intel import-nvd / import-kev); default for serve: "
           "DATA_DIR/cves.db",
           o.cve_catalogue)
      .flag(
          "no-kev-lookup",
          "predict CVEs in KEV like any other instead of as certainly exploited (for evaluations)",
          o.no_kev_lookup)
      .add("scan-files-root",
           "folder file:// targets of POST /v1/scans must lie under (none are allowed without it)",
           o.scan_files_root)
      .add("scan-workers", "scan tasks a scanner runs at once, each on an event loop of its own",
           o.scan_workers, 1, 256)
      .add("scan-chunk", "targets per scan task (the unit a scanner takes and a dead one loses)",
           o.scan_chunk, 1, 4096)
      .add("scan-max-targets", "most targets in one scan job", o.scan_max_targets, 1, 1000000)
      .add("target-metrics",
           "scanned targets with Prometheus gauges of their own (the least recently scanned "
           "give theirs up; 0: none)",
           o.target_metrics, 0, 1000000)
      .add("scans-per-endpoint-per-minute",
           "scans of one endpoint (address and port) the API accepts a minute, bursts of as many "
           "(429 past it; 0: no limit)",
           o.scans_per_endpoint_per_minute, 0, 1e6);
}

} // namespace qs::nodes
