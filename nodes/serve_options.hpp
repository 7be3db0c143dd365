// The options of `qscan serve`: every role in one process with an embedded
// SQLite database. Registered in one table that drives flags, QSCAN_*
// environment variables, the config file and --help alike.
#pragma once

#include <cstddef>
#include <string>

#include "runtime/config/options.hpp"

namespace qs::nodes {

struct serve_options {
  std::string listen = "127.0.0.1:8000";
  std::string data_dir = "./var";
  std::string api_keys;
  bool insecure_listen = false;
  std::string tls_cert;
  std::string tls_key;
  std::size_t body_limit = 8 * 1024 * 1024;
  std::size_t body_budget = 0; ///< 0: twice body_limit
  std::size_t header_limit = 16 * 1024;
  double auth_failures_per_minute = 60;
  std::size_t max_depth = 64;
  std::size_t max_scan_results = 10000;
  int request_deadline_ms = 2000;
  int task_timeout_ms = 500;
  int read_timeout_ms = 10000;
  int idle_timeout_ms = 30000;
  std::size_t max_connections = 10000;
  int io_threads = 2;
  int storage_threads = 8;
  int actor_threads = 2;
  int predictor_workers = 2;
  int anomaly_shards = 2;
  int max_restarts = 5;
  int restart_window_ms = 10000;
  std::string sync = "full";
  double weight_quantum = 0.4;
  double weight_threat = 0.4;
  double weight_anomaly = 0.2;
  bool fault_injection = false;
  // Scanning (POST /v1/scans, the scanner role).
  std::string scan_allow = "127.0.0.0/8,::1";
  std::string scan_files_root;
  std::string exploit_model; ///< "": the newest stored version, else the shipped one
  std::string cve_catalogue; ///< "": DATA_DIR/cves.db for serve, none for a node
  bool no_kev_lookup = false;
  int scan_workers = 4;
  int scan_chunk = 16;
  std::size_t scan_max_targets = 4096;
  std::size_t target_metrics = 1000;
  double scans_per_endpoint_per_minute = 12;
};

void register_options(runtime::config::option_set& set, serve_options& o);

} // namespace qs::nodes
