#include "tests/support/qscan_server.hpp"

#include <csignal>
#include <stdexcept>

namespace qs::test {

qscan_server::qscan_server(std::vector<std::string> extra, std::string data_dir,
                           std::map<std::string, std::string> env) {
  if (data_dir.empty()) {
    owned_dir_ = std::make_unique<temp_dir>("qs-serve-");
    data_dir = owned_dir_->path();
  }
  data_dir_ = data_dir;
  std::vector<std::string> argv = {QSCAN_BINARY,  "serve",      "--listen",
                                   "127.0.0.1:0", "--data-dir", data_dir_};
  argv.insert(argv.end(), extra.begin(), extra.end());
  process_ = std::make_unique<child_process>(child_process::start(argv, env));
  const std::string line = process_->wait_for_line("listening on http", std::chrono::seconds(60));
  const auto colon = line.rfind(':');
  port_ = static_cast<std::uint16_t>(std::stoi(line.substr(colon + 1)));
  if (port_ == 0)
    throw std::runtime_error("qscan printed port 0: " + line);
}

int qscan_server::stop() {
  process_->signal(SIGTERM);
  return process_->wait(std::chrono::seconds(30));
}

std::string scan_results_body(std::size_t n, const std::string& prefix) {
  std::string body = R"({"scan_results":[)";
  for (std::size_t i = 0; i < n; ++i) {
    if (i)
      body += ",";
    body +=
        R"({"asset_id":")" + prefix + std::to_string(i) +
        R"(","asset_type":"web_service","vulnerabilities":[)"
        R"({"type":"weak_crypto","severity":"high","algorithm":"RSA-1024","location":"/api/auth"},)"
        R"({"type":"tls","severity":"medium","algorithm":"ECDHE-RSA-AES128-GCM-SHA256"}],)"
        R"("quantum_risk_score":0.7,"timestamp":"2026-11-25T10:00:00","metadata":{}})";
  }
  return body + "]}";
}

} // namespace qs::test
